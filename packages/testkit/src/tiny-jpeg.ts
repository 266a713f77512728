/**
 * The smallest decodable baseline JPEG: 8x8 mid-grey, one component, all-ones
 * quantisation, and one-symbol Huffman tables (DC category 0, AC end-of-block).
 */
export function tinyJpeg(): Buffer {
  const huffmanTable = (classAndId: number) => [
    0xff,
    0xc4,
    0x00,
    0x14,
    classAndId,
    1,
    ...new Array<number>(15).fill(0),
    0x00,
  ];
  return Buffer.from([
    0xff,
    0xd8,
    0xff,
    0xdb,
    0x00,
    0x43,
    0x00,
    ...new Array<number>(64).fill(1),
    0xff,
    0xc0,
    0x00,
    0x0b,
    0x08,
    0x00,
    0x08,
    0x00,
    0x08,
    0x01,
    0x01,
    0x11,
    0x00,
    ...huffmanTable(0x00),
    ...huffmanTable(0x10),
    0xff,
    0xda,
    0x00,
    0x08,
    0x01,
    0x01,
    0x00,
    0x00,
    0x3f,
    0x00,
    0x3f, // DC "0" then EOB "0", padded with ones
    0xff,
    0xd9,
  ]);
}
