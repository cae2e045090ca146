/**
 * CP profile document: a wap-provisioningdoc with one APPLICATION characteristic, APPID w7
 * (OMA ProvCont 1.1 + the w7 registration OMA-SUP-ac_w7_dm-V1_0; parameters as in Microsoft's w7
 * APPLICATION CSP example and Intel cpclient's testcases/examples/omadm.xml), optionally
 * preceded by NAPDEF and PXLOGICAL connectivity characteristics.
 */
import { PROV10_FPI, PROV10_SYSTEM_ID } from '../wbxml/tables/prov10.js';
import { el, type XmlDocument, type XmlElement } from '../wbxml/tree.js';
import { invalid, port, text, type AppAuth, type CpBootstrapModel, type NapDef, type PxLogical } from './model.js';

// Built as a literal: a document has dozens of parms and this is the hot path of buildPush.
function parm(name: string, value: string | undefined): XmlElement | undefined {
  return value === undefined
    ? undefined
    : {
        name: 'parm',
        attrs: [
          ['name', name],
          ['value', value],
        ],
        children: [],
      };
}

function characteristic(type: string, ...kids: (XmlElement | undefined)[]): XmlElement {
  return {
    name: 'characteristic',
    attrs: [['type', type]],
    children: kids.filter((k): k is XmlElement => k !== undefined),
  };
}

function appAuth(a: AppAuth, i: number): XmlElement {
  const f = `appAuth[${i}]`;
  if (!['APPSRV', 'CLIENT', 'OBEX'].includes(a.level))
    throw invalid(`${f}.level`, `${String(a.level)} is not APPSRV, CLIENT or OBEX`);
  return characteristic(
    'APPAUTH',
    parm('AAUTHLEVEL', a.level),
    parm('AAUTHTYPE', text(`${f}.type`, a.type, true)),
    parm('AAUTHNAME', text(`${f}.name`, a.name)),
    parm('AAUTHSECRET', text(`${f}.secret`, a.secret)),
    parm('AAUTHDATA', text(`${f}.data`, a.data)),
  );
}

function address(m: CpBootstrapModel): (XmlElement | undefined)[] {
  if ((m.addr === undefined) === (m.appAddr === undefined))
    throw invalid('addr', 'give exactly one of addr and appAddr');
  if (m.addr !== undefined) return [parm('ADDR', text('addr', m.addr, true))];
  const a = m.appAddr!;
  const p = port('appAddr.port', a.port);
  return [
    characteristic(
      'APPADDR',
      parm('ADDR', text('appAddr.addr', a.addr, true)),
      parm('ADDRTYPE', text('appAddr.addrType', a.addrType)),
      p === undefined ? undefined : characteristic('PORT', parm('PORTNBR', p)),
    ),
  ];
}

function napdef(n: NapDef): XmlElement {
  return characteristic(
    'NAPDEF',
    parm('NAPID', text('napdef.napId', n.napId, true)),
    parm('NAME', text('napdef.name', n.name)),
    parm('BEARER', text('napdef.bearer', n.bearer)),
    parm('NAP-ADDRESS', text('napdef.address', n.address, true)),
    parm('NAP-ADDRTYPE', text('napdef.addressType', n.addressType) ?? 'APN'),
    n.auth &&
      characteristic(
        'NAPAUTHINFO',
        parm('AUTHTYPE', text('napdef.auth.type', n.auth.type, true)),
        parm('AUTHNAME', text('napdef.auth.name', n.auth.name)),
        parm('AUTHSECRET', text('napdef.auth.secret', n.auth.secret)),
      ),
  );
}

function pxlogical(p: PxLogical): XmlElement {
  const ph = p.physical;
  const portNbr = port('pxlogical.physical.port', ph.port);
  return characteristic(
    'PXLOGICAL',
    parm('PROXY-ID', text('pxlogical.proxyId', p.proxyId, true)),
    parm('NAME', text('pxlogical.name', p.name)),
    characteristic(
      'PXPHYSICAL',
      parm('PHYSICAL-PROXY-ID', text('pxlogical.physical.physicalProxyId', ph.physicalProxyId, true)),
      parm('PXADDR', text('pxlogical.physical.address', ph.address, true)),
      parm('PXADDRTYPE', text('pxlogical.physical.addressType', ph.addressType) ?? 'IPV4'),
      parm('TO-NAPID', text('pxlogical.physical.toNapId', ph.toNapId, true)),
      portNbr === undefined ? undefined : characteristic('PORT', parm('PORTNBR', portNbr)),
    ),
  );
}

export function cpDocument(m: CpBootstrapModel): XmlDocument {
  if (!Array.isArray(m.appAuth) || m.appAuth.length === 0) throw invalid('appAuth', 'at least one APPAUTH is required');
  const application = characteristic(
    'APPLICATION',
    parm('APPID', 'w7'),
    parm('PROVIDER-ID', text('providerId', m.providerId, true)),
    parm('NAME', text('name', m.name)),
    ...address(m),
    parm('TO-PROXY', text('toProxy', m.toProxy)),
    parm('TO-NAPID', text('toNapId', m.toNapId)),
    ...m.appAuth.map(appAuth),
  );
  const root = el(
    'wap-provisioningdoc',
    { version: text('version', m.version) ?? '1.1' },
    m.napdef && napdef(m.napdef),
    m.pxlogical && pxlogical(m.pxlogical),
    application,
  );
  return { root, publicId: PROV10_FPI, systemId: PROV10_SYSTEM_ID };
}
