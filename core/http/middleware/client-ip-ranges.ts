import IPCIDR from 'ip-cidr';

// The IPv4-mapped IPv6 block (::ffff:0:0/96): a dual-stack socket reports IPv4 peers inside it.
const mappedBlock = new IPCIDR('::ffff:0:0/96');

/** An address parsed by ip-cidr (ip-address's Address4 or Address6). */
type Address = IPCIDR.Address;

/** Parses one address; IPv4-mapped IPv6 (dotted or hex) becomes the IPv4 address. Null when invalid. */
function parseAddress(text: string): Address | null {
  // Brackets come from URLs, a zone id (fe80::1%eth0) from link-local sockets; neither is part of the address.
  const bare = text.trim().replace(/^\[(.*)\]$/, '$1').replace(/%[\w.-]+$/, '');
  if (bare === '' || bare.includes('/')) return null;
  let address: Address;
  try {
    address = IPCIDR.createAddress(bare);
  } catch {
    return null;
  }
  if (!address.v4 && mappedBlock.contains(address)) return (address as Extract<Address, { to4: unknown }>).to4();
  return address;
}

/**
 * The canonical text of a client address: IPv4 dotted, IPv6 compressed lower case, IPv4-mapped
 * IPv6 as IPv4 (so `::ffff:10.0.0.1` matches `10.0.0.0/8`). Null when it is no IP address.
 */
export function normaliseAddress(text: string): string | null {
  const address = parseAddress(text);
  return address ? address.correctForm() : null;
}

/** One configured range, compiled once when the settings are read. */
export interface Range {
  /** The range as the admin wrote it, for reasons and traces. */
  text: string;
  cidr: IPCIDR;
}

/**
 * Parses an address or CIDR range (IPv4 or IPv6). A bare address is a single host. Returns the
 * range, or a message saying what is wrong with it (the message names the entry).
 */
export function parseRange(text: string): Range | string {
  const [addressPart = '', prefixPart, ...rest] = text.trim().split('/');
  const what = `"${text}" is not an IP address or CIDR range`;
  if (rest.length > 0 || (prefixPart !== undefined && !/^\d{1,3}$/.test(prefixPart))) return what;
  const address = parseAddress(addressPart);
  if (!address) return what;
  // An IPv4 address written in IPv6 form (::ffff:10.0.0.0): its prefix counts IPv6 bits.
  const mapped = address.v4 && addressPart.includes(':');
  const bits = address.v4 ? 32 : 128;
  let prefix = prefixPart === undefined ? (mapped ? 128 : bits) : Number(prefixPart);
  if (mapped) {
    // ::ffff:10.0.0.0/104 is written in IPv6 terms; as an IPv4 range it is 10.0.0.0/8.
    if (prefix < 96 || prefix > 128) return `"${text}": an IPv4-mapped range needs a prefix between 96 and 128`;
    prefix -= 96;
  }
  if (prefix > bits) return `"${text}": the prefix /${prefix} is longer than ${bits} bits`;
  const canonical = `${address.correctForm()}/${prefix}`;
  const cidr = new IPCIDR(canonical);
  const network = cidr.addressStart.correctForm();
  if (network !== address.correctForm()) return `"${text}" has host bits set; the range is ${network}/${prefix}`;
  return { text: text.trim(), cidr };
}

/**
 * Whether a (normalised or raw) client address lies in any of the ranges; an unparsable address
 * lies in none. The families must match: ip-cidr alone compares raw bits, so it would put the
 * IPv4 address 32.1.13.184 inside 2001:db8::/32 and ::1 inside 0.0.0.0/24.
 */
export function inRanges(ip: string, ranges: readonly Range[]): boolean {
  const address = parseAddress(ip);
  if (!address) return false;
  return ranges.some((range) => range.cidr.address.v4 === address.v4 && range.cidr.contains(address));
}
