"""Pure-Python RIPEMD-160, used only where OpenSSL does not offer it (OpenSSL 3 without legacy).

Follows the structure of Bitcoin Core's test-framework implementation (MIT). Slow; correct.
"""

_ML = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5,
       2, 14, 11, 8, 3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12, 1, 9, 11, 10, 0, 8, 12, 4,
       13, 3, 7, 15, 14, 5, 6, 2, 4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13]
_MR = [5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12, 6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12,
       4, 9, 1, 2, 15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13, 8, 6, 4, 1, 3, 11, 15, 0, 5,
       12, 2, 13, 9, 7, 10, 14, 12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11]
_RL = [11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8, 7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9,
       11, 7, 13, 12, 11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5, 11, 12, 14, 15, 14, 15,
       9, 8, 9, 14, 5, 6, 8, 6, 5, 12, 9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6]
_RR = [8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6, 9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7,
       6, 15, 13, 11, 9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5, 15, 5, 8, 11, 14, 14, 6,
       14, 6, 9, 12, 9, 12, 5, 15, 8, 8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11]
_KL = [0, 0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xA953FD4E]
_KR = [0x50A28BE6, 0x5C4DD124, 0x6D703EF3, 0x7A6D76E9, 0]


def _fi(x: int, y: int, z: int, i: int) -> int:
    if i == 0:
        return x ^ y ^ z
    if i == 1:
        return (x & y) | (~x & z)
    if i == 2:
        return (x | ~y) ^ z
    if i == 3:
        return (x & z) | (y & ~z)
    return x ^ (y | ~z)


def _rol(x: int, i: int) -> int:
    return ((x << i) | ((x & 0xFFFFFFFF) >> (32 - i))) & 0xFFFFFFFF


def _compress(h0: int, h1: int, h2: int, h3: int, h4: int, block: bytes) -> tuple[int, ...]:
    al, bl, cl, dl, el = h0, h1, h2, h3, h4
    ar, br, cr, dr, er = h0, h1, h2, h3, h4
    x = [int.from_bytes(block[4 * i : 4 * (i + 1)], "little") for i in range(16)]
    for j in range(80):
        rnd = j >> 4
        al = _rol(al + _fi(bl, cl, dl, rnd) + x[_ML[j]] + _KL[rnd], _RL[j]) + el
        al, bl, cl, dl, el = el, al, bl, _rol(cl, 10), dl
        ar = _rol(ar + _fi(br, cr, dr, 4 - rnd) + x[_MR[j]] + _KR[rnd], _RR[j]) + er
        ar, br, cr, dr, er = er, ar, br, _rol(cr, 10), dr
    return (h1 + cl + dr) & 0xFFFFFFFF, (h2 + dl + er) & 0xFFFFFFFF, (h3 + el + ar) & 0xFFFFFFFF, (
        h4 + al + br
    ) & 0xFFFFFFFF, (h0 + bl + cr) & 0xFFFFFFFF


def ripemd160(data: bytes) -> bytes:
    state: tuple[int, ...] = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0)
    for b in range(len(data) >> 6):
        state = _compress(*state, data[64 * b : 64 * (b + 1)])
    pad = b"\x80" + ((119 - len(data)) & 63) * b"\0"
    fin = data[len(data) & ~63 :] + pad + (8 * len(data)).to_bytes(8, "little")
    for b in range(len(fin) >> 6):
        state = _compress(*state, fin[64 * b : 64 * (b + 1)])
    return b"".join((h & 0xFFFFFFFF).to_bytes(4, "little") for h in state)
