#!/usr/bin/env python3
"""Generates the strict-inspection and hostile-input vectors (Python 3 stdlib only, no bootline code).

Run from test/vectors/:  python3 make_hostile.py
Inputs: the Kannel push kannel/example-a-userpin.segments.hex (see kannel/SOURCE.md).
Every output is a small, deliberate edit of that push or a WBXML/XML document built byte by
byte here, so what each file exercises is visible in this script.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def read_segments(rel):
    with open(os.path.join(HERE, rel)) as f:
        return [bytes.fromhex(l.strip()) for l in f if l.strip()]


def write_lines(rel, chunks, comment):
    """One hex line per chunk; `comment` documents the edit here (README.md lists it too)."""
    with open(os.path.join(HERE, rel), 'w') as f:
        for c in chunks:
            f.write(c.hex().upper() + '\n')


def write_bin(rel, data):
    with open(os.path.join(HERE, rel), 'wb') as f:
        f.write(data)


def write_text(rel, text):
    with open(os.path.join(HERE, rel), 'w', encoding='utf-8') as f:
        f.write(text)


def mb_u_int32(n):
    """WBXML mb_u_int32 (WAP-192 section 5.1): big-endian base-128, continuation bit 0x80."""
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    return bytes(reversed(out))


# --- strict inspection: edits of Kannel's USERPIN push of Example A (PIN 1234) ---------------
segs = read_segments('kannel/example-a-userpin.segments.hex')
UDHL = segs[0][0]
assert segs[0][:UDHL + 1] == bytes.fromhex('0B05040B840B8400030003' + '01')
wsp = b''.join(s[s[0] + 1:] for s in segs)
assert wsp[:9] == bytes.fromhex('01062F1F2DB6918192'), wsp[:9].hex()
mac = wsp[9:49]
assert mac == b'33E8ED0129DCFBBAD2E762BB01A8A8C488EEA577'
body = wsp[50:]

# 1. MAC rendered in lower-case hex (same value; cpclient and Gecko compare upper-case exactly).
write_lines('strict/lowercase-mac.wsp.hex', [wsp[:9] + mac.lower() + wsp[49:]],
            'Kannel USERPIN push of Example A (PIN 1234) with the MAC in lower-case hex')

# 2. SEC as a Long-integer (01 01) instead of the Short-integer 0x81 WSP defines for it.
long_sec = bytes.fromhex('0106301F2EB6910101') + b'\x92' + mac + b'\x00' + body
write_lines('strict/sec-long-integer.wsp.hex', [long_sec],
            'Kannel USERPIN push of Example A (PIN 1234) with SEC encoded as Long-integer 01 01')

# 3. Two SEC parameters: USERPIN (0x81) then NETWPIN (0x80).
dup_sec = bytes.fromhex('0106311F2FB691819180') + b'\x92' + mac + b'\x00' + body
write_lines('strict/sec-duplicated.wsp.hex', [dup_sec],
            'Kannel USERPIN push of Example A (PIN 1234) with a second SEC parameter (NETWPIN)')

# 4. No application port IE: UDH keeps only the concatenation IE.
no_port = [bytes([5]) + s[7:12] + s[12:] for s in segs]
write_lines('strict/no-port-ie.segments.hex', no_port,
            'Kannel USERPIN push of Example A (PIN 1234), port IE removed from every UDH')

# 5. Ports swapped: destination 9200 (WSP server), source 2948 (WAP push).
swapped = [bytes.fromhex('0B0504' + '23F0' + '0B84') + s[7:] for s in segs]
write_lines('strict/swapped-ports.segments.hex', swapped,
            'Kannel USERPIN push of Example A (PIN 1234), destination port 9200 and source 2948')

# --- characters XML 1.0 forbids (section 2.2 Char): U+0001, U+0008, U+FFFF -----------------------
# A PROV body <wap-provisioningdoc><characteristic type="APPLICATION"><parm name="NAME"
# value="a?b"/></characteristic></wap-provisioningdoc> whose value carries the character inline.
for name, ch in (('u0001', '\u0001'), ('u0008', '\u0008'), ('uffff', '\uffff')):
    value = ('a' + ch + 'b').encode('utf-8')
    wbxml = bytes.fromhex('030B6A00' + '45' + 'C6' + '0001' + '55' + '01' + '87' + '07' + '06' + '03') \
        + value + bytes.fromhex('00' + '01' + '01' + '01')
    write_lines(f'hostile/forbidden-{name}.wbxml.hex', [wbxml],
                f'PROV body whose NAME value is "a{{U+{name[1:].upper()}}}b" as an inline UTF-8 string')
    write_text(f'hostile/forbidden-{name}.xml',
               '<wap-provisioningdoc><characteristic type="APPLICATION">'
               f'<parm name="NAME" value="a&#x{name[1:].upper()};b"/></characteristic></wap-provisioningdoc>\n')

# --- decoder amplification ------------------------------------------------------------------
# 6. STR_T amplification: a 16,000-octet string-table entry referenced 8,000 times (32,010 octets,
#    within 255 SMS segments) would decode to 128 million characters.
table = b'A' * 15999 + b'\x00'
strt = bytes.fromhex('030B6A') + mb_u_int32(len(table)) + table + b'\x45' + b'\x83\x00' * 8000 + b'\x01'
write_bin('hostile/strt-amplification.wbxml', strt)

# 7. 20,000 distinct attributes on one element: LITERAL (0x04) attribute starts naming
#    three-letter strings in the string table, each with an empty value.
letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
names = [a + b + c for a in letters for b in letters for c in letters][:20000]
table = b''.join(n.encode() + b'\x00' for n in names)
attrs = b''.join(b'\x04' + mb_u_int32(4 * i) for i in range(len(names)))
write_bin('hostile/attributes-20000.wbxml',
          bytes.fromhex('030B6A') + mb_u_int32(len(table)) + table + b'\x85' + attrs + b'\x01')
write_text('hostile/attributes-20000.xml',
           '<wap-provisioningdoc ' + ' '.join(f'{n}=""' for n in names) + '/>\n')
print('ok')
