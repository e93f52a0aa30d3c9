import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

/** A tiny authoritative DNS server for tests: PTR and A records from a table, on loopback UDP. */
export interface TestDnsServer {
  /** `127.0.0.1:port`, for dnsServers. */
  address: string;
  close(): Promise<void>;
}

const TYPE_A = 1;
const TYPE_PTR = 12;

function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'ascii')]));
  return Buffer.concat([...labels, Buffer.from([0])]);
}

/** The question of a query: its name, type, and where the question section ends. */
function readQuestion(query: Buffer): { name: string; type: number; end: number } {
  const labels: string[] = [];
  let offset = 12;
  while (query[offset]! > 0) {
    const length = query[offset]!;
    labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
    offset += length + 1;
  }
  return { name: labels.join('.').toLowerCase(), type: query.readUInt16BE(offset + 1), end: offset + 5 };
}

function answer(type: number, rdata: Buffer): Buffer {
  const fixed = Buffer.alloc(12);
  fixed.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's name
  fixed.writeUInt16BE(type, 2);
  fixed.writeUInt16BE(1, 4); // class IN
  fixed.writeUInt32BE(60, 6);
  fixed.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([fixed, rdata]);
}

/** The reverse-lookup name of an IPv4 address (1.2.3.4 → 4.3.2.1.in-addr.arpa). */
const ptrName = (ip: string): string => `${ip.split('.').reverse().join('.')}.in-addr.arpa`;

/**
 * Starts the server. `ptr` maps IPv4 addresses to names, `a` names to IPv4 addresses; anything
 * else is answered NXDOMAIN.
 */
export async function startTestDnsServer(records: { ptr: Record<string, string>; a: Record<string, string> }): Promise<TestDnsServer> {
  const ptr = new Map(Object.entries(records.ptr).map(([ip, name]) => [ptrName(ip), name]));
  const a = new Map(Object.entries(records.a).map(([name, ip]) => [name.toLowerCase(), ip]));
  const socket: Socket = createSocket('udp4');
  socket.on('message', (query, peer) => {
    const question = readQuestion(query);
    const answers: Buffer[] = [];
    if (question.type === TYPE_PTR && ptr.has(question.name)) answers.push(answer(TYPE_PTR, encodeName(ptr.get(question.name)!)));
    if (question.type === TYPE_A && a.has(question.name)) answers.push(answer(TYPE_A, Buffer.from(a.get(question.name)!.split('.').map(Number))));
    const known = ptr.has(question.name) || a.has(question.name);
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2); // the query's id
    header.writeUInt16BE(0x8400 | (known ? 0 : 3), 2); // response, authoritative; NXDOMAIN when unknown
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    socket.send(Buffer.concat([header, query.subarray(12, question.end), ...answers]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  return { address: `127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}
