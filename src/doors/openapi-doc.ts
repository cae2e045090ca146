export const DOORS_OPENAPI = { openapi: '3.1.0' };
