// BLS12-381 scalar field Fr in OpenCL C 1.2: four 64-bit limbs, least significant first, Montgomery form with
// R = 2^256. The host prepends FR_P0..FR_P3 (the modulus), FR_INV (-p^-1 mod 2^64) and FR_R2_0..3 (R^2 mod p),
// computed from the modulus so no constant is typed by hand here.
// Every operation returns a fully reduced value (< p), so equal field elements always have equal limbs.

typedef struct { ulong l[4]; } fr;

inline fr fr_make(ulong a, ulong b, ulong c, ulong d) {
    fr r;
    r.l[0] = a; r.l[1] = b; r.l[2] = c; r.l[3] = d;
    return r;
}

// r - p if r >= p, else r. Valid for r < 2p, which every operation below guarantees because p < 2^255.
inline fr fr_reduce_once(fr r) {
    ulong d0 = r.l[0] - FR_P0;
    ulong b = r.l[0] < FR_P0;
    ulong t1 = r.l[1] - FR_P1;
    ulong d1 = t1 - b;
    b = (r.l[1] < FR_P1) | (t1 < b);
    ulong t2 = r.l[2] - FR_P2;
    ulong d2 = t2 - b;
    b = (r.l[2] < FR_P2) | (t2 < b);
    ulong t3 = r.l[3] - FR_P3;
    ulong d3 = t3 - b;
    b = (r.l[3] < FR_P3) | (t3 < b);
    return b ? r : fr_make(d0, d1, d2, d3);
}

inline fr fr_add(fr a, fr b) {
    fr r;
    ulong c = 0;
    for (int i = 0; i < 4; i++) {
        ulong s = a.l[i] + b.l[i];
        ulong c1 = s < a.l[i];
        ulong s2 = s + c;
        ulong c2 = s2 < s;
        r.l[i] = s2;
        c = c1 | c2;
    }
    // a, b < p < 2^255, so the sum fits in 256 bits.
    return fr_reduce_once(r);
}

inline fr fr_sub(fr a, fr b) {
    fr r;
    ulong borrow = 0;
    for (int i = 0; i < 4; i++) {
        ulong d = a.l[i] - b.l[i];
        ulong b1 = a.l[i] < b.l[i];
        ulong d2 = d - borrow;
        ulong b2 = d < borrow;
        r.l[i] = d2;
        borrow = b1 | b2;
    }
    if (borrow) {
        ulong s, c, c1;
        s = r.l[0] + FR_P0; c = s < FR_P0; r.l[0] = s;
        s = r.l[1] + FR_P1; c1 = s < FR_P1; s += c; c = c1 | (s < c); r.l[1] = s;
        s = r.l[2] + FR_P2; c1 = s < FR_P2; s += c; c = c1 | (s < c); r.l[2] = s;
        r.l[3] = r.l[3] + FR_P3 + c;
    }
    return r;
}

// a * b + c + d as 128 bits: returns the low word, stores the high word. Cannot overflow.
inline ulong fr_mac(ulong a, ulong b, ulong c, ulong d, ulong *hi) {
    ulong lo = a * b;
    ulong h = mul_hi(a, b);
    lo += c;
    h += lo < c;
    lo += d;
    h += lo < d;
    *hi = h;
    return lo;
}

// Montgomery product a * b / R mod p (CIOS, one reduction step per limb of b).
inline fr fr_mul(fr a, fr b) {
    ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5, c, m;
#define FR_MUL_STEP(bi) \
    t0 = fr_mac(a.l[0], bi, t0, 0, &c); \
    t1 = fr_mac(a.l[1], bi, t1, c, &c); \
    t2 = fr_mac(a.l[2], bi, t2, c, &c); \
    t3 = fr_mac(a.l[3], bi, t3, c, &c); \
    t4 = t4 + c; t5 = t4 < c; \
    m = t0 * FR_INV; \
    (void) fr_mac(m, FR_P0, t0, 0, &c); \
    t0 = fr_mac(m, FR_P1, t1, c, &c); \
    t1 = fr_mac(m, FR_P2, t2, c, &c); \
    t2 = fr_mac(m, FR_P3, t3, c, &c); \
    t3 = t4 + c; t4 = t5 + (t3 < c);
    FR_MUL_STEP(b.l[0])
    FR_MUL_STEP(b.l[1])
    FR_MUL_STEP(b.l[2])
    FR_MUL_STEP(b.l[3])
#undef FR_MUL_STEP
    // The result is < 2p < 2^256 because p < 2^254 * 2, so t4 is zero here.
    return fr_reduce_once(fr_make(t0, t1, t2, t3));
}

inline fr fr_pow5(fr x) {
    fr x2 = fr_mul(x, x);
    fr x4 = fr_mul(x2, x2);
    return fr_mul(x4, x);
}

inline fr fr_to_mont(fr x) {
    return fr_mul(x, fr_make(FR_R2_0, FR_R2_1, FR_R2_2, FR_R2_3));
}

inline fr fr_from_mont(fr x) {
    return fr_mul(x, fr_make(1, 0, 0, 0));
}

inline fr fr_load(__global const ulong *p) {
    return fr_make(p[0], p[1], p[2], p[3]);
}

inline void fr_store(__global ulong *p, fr x) {
    p[0] = x.l[0]; p[1] = x.l[1]; p[2] = x.l[2]; p[3] = x.l[3];
}
