import { lookup as dnsLookup } from 'node:dns/promises';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { InvalidRequestError } from '../errors.js';

/**
 * The SSRF guard for input images given by URL. A client can make the gateway fetch
 * any URL it names, so before a connection is opened:
 * - only http: and https: are accepted, and no user:password@ in the URL;
 * - the host name is resolved and every address it resolves to must be public
 *   (not loopback, private, link-local, CGNAT, multicast, documentation... ranges);
 * - the connection then goes to exactly the address that was checked. The check
 *   runs inside the socket's own `lookup`, so there is one resolution per connection
 *   and DNS rebinding (public on the check, 127.0.0.1 on the connect) cannot slip in.
 * Redirects are not followed here: `download()` re-checks every hop through
 * `checkUrl` and this fetch.
 */
export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface UrlGuardOptions {
  /** Let loopback and private addresses through (tests with loopback fakes, trusted LANs). Default false. */
  allowPrivate?: boolean;
  /** Decides per resolved address; overrides `allowPrivate`. */
  isAllowed?: (address: string) => boolean;
  /** DNS resolution (injected in tests). Default: the system resolver, every address. */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
}

type Cidr = { bytes: number[]; bits: number };

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

/** 16 bytes of an IPv6 address, embedded dotted IPv4 and `::` included. */
function ipv6Bytes(address: string): number[] {
  let text = address.split('%')[0]!.toLowerCase();
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    tail.push(...ipv4Bytes(dotted[1]!));
    text = text.slice(0, -dotted[1]!.length) + '0:0';
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest ? rest.split(':') : [];
  const missing = 8 - headGroups.length - restGroups.length;
  const groups = [
    ...headGroups,
    ...Array.from({ length: rest === undefined ? 0 : missing }, () => '0'),
    ...restGroups,
  ];
  const bytes = groups.flatMap((group) => {
    const value = parseInt(group || '0', 16);
    return [value >> 8, value & 0xff];
  });
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

function cidr(text: string): Cidr {
  const [address, bits] = text.split('/') as [string, string];
  return { bytes: isIP(address) === 4 ? ipv4Bytes(address) : ipv6Bytes(address), bits: Number(bits) };
}

function inRange(bytes: number[], range: Cidr): boolean {
  for (let bit = 0; bit < range.bits; bit += 8) {
    const take = Math.min(8, range.bits - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((bytes[bit / 8]! & mask) !== (range.bytes[bit / 8]! & mask)) return false;
  }
  return true;
}

/** IANA special-purpose IPv4 ranges (RFC 6890 and successors) that are not the public internet. */
const nonPublicIpv4 = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
].map(cidr);

const nonPublicIpv6 = [
  '::/96', // unspecified, loopback, deprecated IPv4-compatible
  '64:ff9b:1::/48', // local-use NAT64
  '100::/64', // discard
  '2001::/23', // IETF protocol assignments (Teredo, ORCHID, ...)
  '2001:db8::/32', // documentation
  'fc00::/7', // unique local
  'fe80::/10', // link-local
  'fec0::/10', // site-local (deprecated)
  'ff00::/8', // multicast
].map(cidr);

/** Ranges that carry an IPv4 address inside: the embedded address decides. */
const embeddingIpv6: Array<{ range: Cidr; offset: number }> = [
  { range: cidr('::ffff:0:0/96'), offset: 12 }, // IPv4-mapped
  { range: cidr('64:ff9b::/96'), offset: 12 }, // NAT64
  { range: cidr('2002::/16'), offset: 2 }, // 6to4
];

/** Is this IP address on the public internet? False for anything else, and for non-addresses. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address.split('%')[0]!);
  if (family === 4) {
    const bytes = ipv4Bytes(address);
    return !nonPublicIpv4.some((range) => inRange(bytes, range));
  }
  if (family !== 6) return false;
  const bytes = ipv6Bytes(address);
  for (const { range, offset } of embeddingIpv6) {
    if (inRange(bytes, range)) return isPublicAddress(bytes.slice(offset, offset + 4).join('.'));
  }
  return !nonPublicIpv6.some((range) => inRange(bytes, range));
}

const systemResolve = async (hostname: string): Promise<ResolvedAddress[]> =>
  dnsLookup(hostname, { all: true, verbatim: true });

function forbidden(url: URL | string, why: string): InvalidRequestError {
  const host = typeof url === 'string' ? url : url.hostname;
  return new InvalidRequestError(`Refusing to fetch ${host}: ${why}.`, { code: 'IMAGE_URL_FORBIDDEN' });
}

export class UrlGuard {
  private readonly isAllowed: (address: string) => boolean;
  private readonly resolveHost: (hostname: string) => Promise<ResolvedAddress[]>;
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;

  constructor(options: UrlGuardOptions = {}) {
    this.isAllowed = options.isAllowed ?? (options.allowPrivate ? () => true : isPublicAddress);
    this.resolveHost = options.resolve ?? systemResolve;
    // Own agents with no keep-alive: a pooled socket is never shared with code that
    // did not go through the pinned lookup.
    this.httpAgent = new HttpAgent({ keepAlive: false, lookup: this.lookup });
    this.httpsAgent = new HttpsAgent({ keepAlive: false, lookup: this.lookup });
  }

  /** Scheme, credentials and literal IP addresses; host names are checked on connect. */
  checkUrl = async (url: URL): Promise<void> => {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InvalidRequestError(
        `Only http:// and https:// image URLs are fetched, not ${url.protocol}.`,
        { code: 'INVALID_IMAGE_URL' },
      );
    }
    if (url.username || url.password)
      throw forbidden(url, 'URLs with a user name or password are not fetched');
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal) && !this.isAllowed(literal))
      throw forbidden(url, 'the address is not a public internet address');
  };

  /** The socket's DNS step: resolve, refuse unless every address is allowed, connect to those. */
  private readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolveHost(hostname).then(
      (found) => {
        const addresses = options.family ? found.filter((entry) => entry.family === options.family) : found;
        if (addresses.length === 0) {
          callback(Object.assign(new Error(`${hostname} did not resolve`), { code: 'ENOTFOUND' }), '', 4);
          return;
        }
        if (addresses.some((entry) => !this.isAllowed(entry.address))) {
          callback(
            forbidden(hostname, 'it resolves to an address that is not on the public internet'),
            '',
            4,
          );
          return;
        }
        if (options.all)
          (callback as unknown as (error: null, addresses: ResolvedAddress[]) => void)(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, '', 4),
    );
  };

  /**
   * A `fetch` for GET requests that connects only to checked addresses and never
   * follows redirects (the caller checks each hop). Redirect responses come back as they are.
   */
  fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    await this.checkUrl(url);
    const secure = url.protocol === 'https:';
    const signal = init.signal ?? undefined;
    signal?.throwIfAborted();
    return new Promise<Response>((resolve, reject) => {
      const request = (secure ? httpsRequest : httpRequest)(
        url,
        {
          method: 'GET',
          agent: secure ? this.httpsAgent : this.httpAgent,
          headers: { accept: 'image/*', 'user-agent': 'uig-gateway' },
          ...(signal ? { signal } : {}),
        },
        (response: IncomingMessage) => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (value === undefined) continue;
            for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
          }
          const status = response.statusCode ?? 502;
          const empty = status === 204 || status === 304;
          if (empty) response.resume();
          resolve(
            new Response(empty ? null : (Readable.toWeb(response) as ReadableStream<Uint8Array>), {
              status,
              statusText: response.statusMessage ?? '',
              headers,
            }),
          );
        },
      );
      request.on('error', reject);
      request.end();
    });
  };
}
