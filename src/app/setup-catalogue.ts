import type { SetupCatalogue } from '../doors/web/texts.js';
import type { FlowRegistry } from '../voice/registry.js';

/**
 * The self-service page's words and phone policy, read from a voice flow (the default one) at
 * each request: a published or hot-reloaded flow changes the page at once, as it does calls.
 */
export function flowCatalogue(flows: FlowRegistry, flowId: string): SetupCatalogue {
  return {
    languages: () => {
      const f = flows.get(flowId);
      return [f.defaultLanguage, ...Object.keys(f.languages).filter((l) => l !== f.defaultLanguage)];
    },
    prompts: (language) => flows.get(flowId).prompts[language] ?? {},
    phone: () => {
      const p = flows.get(flowId).phone;
      return { defaultRegion: p.defaultRegion, countries: p.allowedCountries, types: p.allowedTypes };
    },
  };
}
