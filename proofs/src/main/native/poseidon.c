/*
 * Filecoin's Poseidon (neptune v11, MerkleTree hashing) over the BLS12-381 scalar field, for the JNA binding
 * io.postfleet.proofs.hash.cpu.NativePoseidon.
 *
 * The constants are not here: the Java side generates them (PoseidonParameters) and hands them over once per arity
 * through pf_init, canonical 32-byte little-endian values, so this file holds only arithmetic. Three paths compute
 * the same function and are chosen per call:
 *
 *   PF_PORTABLE  4 x 64-bit limbs, Montgomery form, unsigned __int128 products: any 64-bit CPU and compiler.
 *   PF_MULX_ADX  the same limbs and code compiled for BMI2 and ADX (MULX products): x86-64 CPUs that have them.
 *   PF_IFMA      AVX-512 IFMA: 5 x 52-bit limbs, eight independent hashes in the eight lanes of a vector.
 *
 * Every path keeps field elements in Montgomery form and folds matrix rows lazily: the products of a row are
 * summed unreduced and reduced once. Inputs are refused when not canonical (>= p), never reduced.
 */
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define PF_X86 1
#endif

#define PF_API __attribute__((visibility("default")))

#define PF_PORTABLE 1
#define PF_MULX_ADX 2
#define PF_IFMA 4

#define MAX_T 17
#define MAX_ROUNDS 80

typedef unsigned __int128 u128;

/* p = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001, little-endian limbs */
static const uint64_t P[4] = {0xffffffff00000001ULL, 0x53bda402fffe5bfeULL, 0x3339d80809a1d805ULL,
                              0x73eda753299d7d48ULL};

/* Field constants derived at start-up from P alone. */
static uint64_t N0;          /* -p^-1 mod 2^64 */
static uint64_t R2[4];       /* 2^512 mod p: multiplying by it enters Montgomery form */
static uint64_t PK[4][5];    /* 8p, 4p, 2p, p as 5 limbs, for reducing a lazily folded row */

typedef struct {
    int ready;
    int t, rf, rp;
    /* scalar paths: Montgomery form, 4 limbs */
    uint64_t tag[4];
    uint64_t full[MAX_ROUNDS][MAX_T][4];
    uint64_t partial[MAX_ROUNDS][4];
    uint64_t mds[MAX_T][MAX_T][4];
    uint64_t pre[MAX_T][MAX_T][4];
    uint64_t srow[MAX_ROUNDS][MAX_T][4];
    uint64_t scol[MAX_ROUNDS][MAX_T][4];
#ifdef PF_X86
    /* IFMA path: Montgomery form with R = 2^260, 5 limbs of 52 bits */
    uint64_t vtag[5];
    uint64_t vfull[MAX_ROUNDS][MAX_T][5];
    uint64_t vpartial[MAX_ROUNDS][5];
    uint64_t vmds[MAX_T][MAX_T][5];
    uint64_t vpre[MAX_T][MAX_T][5];
    uint64_t vsrow[MAX_ROUNDS][MAX_T][5];
    uint64_t vscol[MAX_ROUNDS][MAX_T][5];
#endif
} params;

static params PARAMS[MAX_T];   /* by arity */

/* ------------------------------------------------------------------------------------------------------------- */
/* portable scalar arithmetic                                                                                      */

static inline void load_le(uint64_t r[4], const uint8_t *b) {
    for (int i = 0; i < 4; i++) {
        uint64_t v = 0;
        for (int k = 7; k >= 0; k--) {
            v = (v << 8) | b[8 * i + k];
        }
        r[i] = v;
    }
}

static inline void store_le(uint8_t *b, const uint64_t r[4]) {
    for (int i = 0; i < 4; i++) {
        for (int k = 0; k < 8; k++) {
            b[8 * i + k] = (uint8_t) (r[i] >> (8 * k));
        }
    }
}

static inline int canonical(const uint64_t a[4]) {
    for (int i = 3; i >= 0; i--) {
        if (a[i] != P[i]) {
            return a[i] < P[i];
        }
    }
    return 0;
}

/* x -= q when x >= q (n limbs), in constant time */
static inline void csub(uint64_t *x, const uint64_t *q, int n) {
    uint64_t d[5];
    uint64_t borrow = 0;
    for (int i = 0; i < n; i++) {
        u128 v = (u128) x[i] - q[i] - borrow;
        d[i] = (uint64_t) v;
        borrow = (uint64_t) (v >> 64) & 1;
    }
    uint64_t keep = 0 - borrow;
    for (int i = 0; i < n; i++) {
        x[i] = (x[i] & keep) | (d[i] & ~keep);
    }
}

static inline void fe_add(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t s[4];
    u128 c = 0;
    for (int i = 0; i < 4; i++) {
        c += (u128) a[i] + b[i];
        s[i] = (uint64_t) c;
        c >>= 64;
    }
    csub(s, P, 4);   /* a + b < 2p < 2^256: no carry out */
    memcpy(r, s, sizeof s);
}

/* Montgomery product a * b / 2^256 mod p, for a, b < p: CIOS with p < 2^255, so no fifth carry. */
static inline void fe_mul_c(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4;
    for (int i = 0; i < 4; i++) {
        u128 c = (u128) a[0] * b[i] + t0;
        t0 = (uint64_t) c;
        c = (u128) a[1] * b[i] + t1 + (uint64_t) (c >> 64);
        t1 = (uint64_t) c;
        c = (u128) a[2] * b[i] + t2 + (uint64_t) (c >> 64);
        t2 = (uint64_t) c;
        c = (u128) a[3] * b[i] + t3 + (uint64_t) (c >> 64);
        t3 = (uint64_t) c;
        t4 = (uint64_t) (c >> 64);
        uint64_t m = t0 * N0;
        c = (u128) m * P[0] + t0;
        c = (u128) m * P[1] + t1 + (uint64_t) (c >> 64);
        t0 = (uint64_t) c;
        c = (u128) m * P[2] + t2 + (uint64_t) (c >> 64);
        t1 = (uint64_t) c;
        c = (u128) m * P[3] + t3 + (uint64_t) (c >> 64);
        t2 = (uint64_t) c;
        t3 = t4 + (uint64_t) (c >> 64);   /* the total is below 2p * 2^64: it fits */
    }
    uint64_t t[4] = {t0, t1, t2, t3};
    csub(t, P, 4);
    memcpy(r, t, sizeof t);
}

/*
 * r = sum of n products m[j] * s[j] / 2^256 mod p (n <= MAX_T, every factor below p), reduced once: the products are
 * summed column by column (product scanning, a three-word accumulator) into 9 limbs, below 17 p^2, and the Montgomery
 * reduction of that leaves less than 16p, brought below p by subtracting 8p, 4p, 2p and p where they fit.
 */
static inline void fe_dot(uint64_t r[4], const uint64_t (*m)[4], const uint64_t (*s)[4], int n) {
    uint64_t w[9];
    u128 acc = 0;
    uint64_t top = 0;
#pragma GCC unroll 7
    for (int k = 0; k < 7; k++) {
        int lo = k < 3 ? 0 : k - 3;
        int hi = k < 3 ? k : 3;
        for (int j = 0; j < n; j++) {
#pragma GCC unroll 4
            for (int i = lo; i <= hi; i++) {
                u128 prod = (u128) m[j][i] * s[j][k - i];
                acc += prod;
                top += acc < prod;
            }
        }
        w[k] = (uint64_t) acc;
        acc = (acc >> 64) | ((u128) top << 64);
        top = 0;
    }
    w[7] = (uint64_t) acc;
    w[8] = (uint64_t) (acc >> 64);
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        uint64_t q = w[i] * N0;
        u128 c = (u128) q * P[0] + w[i];
#pragma GCC unroll 3
        for (int j = 1; j < 4; j++) {
            c = (u128) q * P[j] + w[i + j] + (uint64_t) (c >> 64);
            w[i + j] = (uint64_t) c;
        }
        uint64_t carry = (uint64_t) (c >> 64);
#pragma GCC unroll 5
        for (int j = i + 4; j < 9; j++) {
            u128 t = (u128) w[j] + carry;
            w[j] = (uint64_t) t;
            carry = (uint64_t) (t >> 64);
        }
    }
    uint64_t x[5] = {w[4], w[5], w[6], w[7], w[8]};
#pragma GCC unroll 4
    for (int k = 0; k < 4; k++) {
        csub(x, PK[k], 5);
    }
    memcpy(r, x, 4 * sizeof(uint64_t));
}

/* ------------------------------------------------------------------------------------------------------------- */
/* the permutation, written once for both scalar paths: FE_MUL names the Montgomery product                       */

#define DEFINE_SCALAR_PERMUTATION(NAME, FE_MUL)                                                                    \
    static inline void NAME##_pow5(uint64_t x[4]) {                                                                \
        uint64_t x2[4], x4[4];                                                                                     \
        FE_MUL(x2, x, x);                                                                                          \
        FE_MUL(x4, x2, x2);                                                                                        \
        FE_MUL(x, x4, x);                                                                                          \
    }                                                                                                              \
    static inline void NAME##_matrix(const params *pp, uint64_t (*m)[MAX_T][4], uint64_t s[][4]) {                 \
        int t = pp->t;                                                                                             \
        uint64_t out[MAX_T][4];                                                                                    \
        for (int i = 0; i < t; i++) {                                                                              \
            fe_dot(out[i], (const uint64_t (*)[4]) m[i], (const uint64_t (*)[4]) s, t);                            \
        }                                                                                                          \
        memcpy(s, out, (size_t) t * sizeof out[0]);                                                                \
    }                                                                                                              \
    static void NAME##_permute(const params *pp, uint64_t s[][4], uint64_t digest[4]) {                            \
        int t = pp->t, half = pp->rf / 2;                                                                          \
        for (int r = 0; r < half; r++) {                                                                           \
            for (int i = 0; i < t; i++) {                                                                          \
                fe_add(s[i], s[i], pp->full[r][i]);                                                                \
                NAME##_pow5(s[i]);                                                                                 \
            }                                                                                                      \
            NAME##_matrix(pp, r == half - 1 ? (uint64_t (*)[MAX_T][4]) pp->pre : (uint64_t (*)[MAX_T][4]) pp->mds, \
                          s);                                                                                      \
        }                                                                                                          \
        for (int k = 0; k < pp->rp; k++) {                                                                         \
            fe_add(s[0], s[0], pp->partial[k]);                                                                    \
            NAME##_pow5(s[0]);                                                                                     \
            uint64_t s0[4];                                                                                        \
            fe_dot(s0, (const uint64_t (*)[4]) pp->srow[k], (const uint64_t (*)[4]) s, t);                         \
            for (int i = 1; i < t; i++) {                                                                          \
                uint64_t v[4];                                                                                     \
                FE_MUL(v, pp->scol[k][i - 1], s[0]);                                                               \
                fe_add(s[i], s[i], v);                                                                             \
            }                                                                                                      \
            memcpy(s[0], s0, sizeof s0);                                                                           \
        }                                                                                                          \
        for (int r = half; r < pp->rf - 1; r++) {                                                                  \
            for (int i = 0; i < t; i++) {                                                                          \
                fe_add(s[i], s[i], pp->full[r][i]);                                                                \
                NAME##_pow5(s[i]);                                                                                 \
            }                                                                                                      \
            NAME##_matrix(pp, (uint64_t (*)[MAX_T][4]) pp->mds, s);                                                \
        }                                                                                                          \
        for (int i = 0; i < t; i++) {                                                                              \
            fe_add(s[i], s[i], pp->full[pp->rf - 1][i]);                                                           \
            NAME##_pow5(s[i]);                                                                                     \
        }                                                                                                          \
        fe_dot(digest, (const uint64_t (*)[4]) pp->mds[1], (const uint64_t (*)[4]) s, t);                          \
    }                                                                                                              \
    /* returns -1, or the index (group * arity + element) of the first non-canonical input */                      \
    static int64_t NAME##_hash(const params *pp, int arity, const uint8_t *in, int64_t count, uint8_t *out) {      \
        static const uint64_t one[4] = {1, 0, 0, 0};                                                               \
        for (int64_t g = 0; g < count; g++) {                                                                      \
            uint64_t s[MAX_T][4];                                                                                  \
            memcpy(s[0], pp->tag, sizeof s[0]);                                                                    \
            for (int i = 0; i < arity; i++) {                                                                      \
                uint64_t raw[4];                                                                                   \
                load_le(raw, in + (g * arity + i) * 32);                                                           \
                if (!canonical(raw)) {                                                                             \
                    return g * arity + i;                                                                          \
                }                                                                                                  \
                FE_MUL(s[i + 1], raw, R2);                                                                         \
            }                                                                                                      \
            uint64_t d[4];                                                                                         \
            NAME##_permute(pp, s, d);                                                                              \
            FE_MUL(d, d, one);                                                                                     \
            store_le(out + g * 32, d);                                                                             \
        }                                                                                                          \
        return -1;                                                                                                 \
    }

DEFINE_SCALAR_PERMUTATION(portable, fe_mul_c)

/* ------------------------------------------------------------------------------------------------------------- */
/* MULX / ADX                                                                                                      */

#ifdef PF_X86
#pragma GCC push_options
#pragma GCC target("bmi2,adx")

/*
 * The same C, compiled for BMI2 and ADX: the compiler's MULX code. A hand-scheduled ADCX/ADOX Montgomery product was
 * measured here and was slower (39 ns against 23 ns a product on a 2 GHz Xeon): its two flag chains serialize each
 * round, where the compiler's code overlaps them.
 */
static inline void fe_mul_adx(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    fe_mul_c(r, a, b);
}

DEFINE_SCALAR_PERMUTATION(adx, fe_mul_adx)

#pragma GCC pop_options
#endif

/* ------------------------------------------------------------------------------------------------------------- */
/* AVX-512 IFMA: eight hashes at once                                                                              */

#ifdef PF_X86
#pragma GCC push_options
#pragma GCC target("avx512f,avx512ifma,avx512vl,avx512dq,avx512bw,bmi2,adx")

#define M52 ((1ULL << 52) - 1)

static uint64_t P52[5];       /* p in 52-bit limbs */
static uint64_t TWO_P52[5];   /* 2p */
static uint64_t N52;          /* -p^-1 mod 2^52 */
static uint64_t RR52[5];      /* 2^520 mod p: multiplying by it enters this path's Montgomery form */

/* eight field elements, lane by lane, as 5 limbs of 52 bits; a value is kept below 2p */
typedef struct {
    __m512i l[5];
} v8;

static inline __m512i bc(uint64_t x) {
    return _mm512_set1_epi64((long long) x);
}

static inline void v_zero10(__m512i t[10]) {
    for (int k = 0; k < 10; k++) {
        t[k] = _mm512_setzero_si512();
    }
}

/* t (10 columns) += a * b, unreduced */
static inline void v_mul_acc(__m512i t[10], const v8 *a, const v8 *b) {
    for (int i = 0; i < 5; i++) {
        for (int j = 0; j < 5; j++) {
            t[i + j] = _mm512_madd52lo_epu64(t[i + j], a->l[j], b->l[i]);
            t[i + j + 1] = _mm512_madd52hi_epu64(t[i + j + 1], a->l[j], b->l[i]);
        }
    }
}

/* t (10 columns) += c * b with c the same constant (5 limbs) in every lane */
static inline void v_mul_acc_c(__m512i t[10], const uint64_t c[5], const v8 *b) {
    for (int j = 0; j < 5; j++) {
        __m512i cj = bc(c[j]);
        for (int i = 0; i < 5; i++) {
            t[i + j] = _mm512_madd52lo_epu64(t[i + j], cj, b->l[i]);
            t[i + j + 1] = _mm512_madd52hi_epu64(t[i + j + 1], cj, b->l[i]);
        }
    }
}

/* x -= q where x >= q, lane by lane (x, q normalized) */
static inline void v_csub(v8 *x, const uint64_t q[5]) {
    const __m512i mask = bc(M52);
    __m512i d[5];
    __m512i c = _mm512_setzero_si512();
    for (int k = 0; k < 5; k++) {
        __m512i v = _mm512_add_epi64(_mm512_sub_epi64(x->l[k], bc(q[k])), c);
        c = _mm512_srai_epi64(v, 52);
        d[k] = _mm512_and_si512(v, mask);
    }
    __mmask8 below = _mm512_cmplt_epi64_mask(c, _mm512_setzero_si512());
    for (int k = 0; k < 5; k++) {
        x->l[k] = _mm512_mask_blend_epi64(below, d[k], x->l[k]);
    }
}

/* Montgomery reduction of 10 columns: (t + m p) / 2^260, normalized; below 2p after one conditional 2p */
static inline void v_redc(v8 *r, __m512i t[10]) {
    const __m512i mask = bc(M52);
    const __m512i n = bc(N52);
    const __m512i zero = _mm512_setzero_si512();
    for (int i = 0; i < 5; i++) {
        __m512i m = _mm512_madd52lo_epu64(zero, t[i], n);
        for (int j = 0; j < 5; j++) {
            __m512i pj = bc(P52[j]);
            t[i + j] = _mm512_madd52lo_epu64(t[i + j], m, pj);
            t[i + j + 1] = _mm512_madd52hi_epu64(t[i + j + 1], m, pj);
        }
        t[i + 1] = _mm512_add_epi64(t[i + 1], _mm512_srli_epi64(t[i], 52));
    }
    for (int k = 5; k < 9; k++) {
        t[k + 1] = _mm512_add_epi64(t[k + 1], _mm512_srli_epi64(t[k], 52));
        r->l[k - 5] = _mm512_and_si512(t[k], mask);
    }
    r->l[4] = t[9];
    v_csub(r, TWO_P52);
}

static inline void v_mul(v8 *r, const v8 *a, const v8 *b) {
    __m512i t[10];
    v_zero10(t);
    v_mul_acc(t, a, b);
    v_redc(r, t);
}

/* a + c (c a constant below p in every lane), below 2p */
static inline void v_add_c(v8 *a, const uint64_t c[5]) {
    const __m512i mask = bc(M52);
    __m512i carry = _mm512_setzero_si512();
    for (int k = 0; k < 5; k++) {
        __m512i v = _mm512_add_epi64(_mm512_add_epi64(a->l[k], bc(c[k])), carry);
        carry = _mm512_srli_epi64(v, 52);
        a->l[k] = k < 4 ? _mm512_and_si512(v, mask) : v;
    }
    v_csub(a, TWO_P52);
}

static inline void v_pow5(v8 *x) {
    v8 x2, x4;
    v_mul(&x2, x, x);
    v_mul(&x4, &x2, &x2);
    v_mul(x, &x4, x);
}

static inline void v_matrix(const params *pp, const uint64_t (*m)[MAX_T][5], v8 s[]) {
    int t = pp->t;
    v8 out[MAX_T];
    for (int i = 0; i < t; i++) {
        __m512i acc[10];
        v_zero10(acc);
        for (int j = 0; j < t; j++) {
            v_mul_acc_c(acc, m[i][j], &s[j]);
        }
        v_redc(&out[i], acc);
    }
    memcpy(s, out, (size_t) t * sizeof out[0]);
}

static void v_permute(const params *pp, v8 s[], v8 *digest) {
    int t = pp->t, half = pp->rf / 2;
    for (int r = 0; r < half; r++) {
        for (int i = 0; i < t; i++) {
            v_add_c(&s[i], pp->vfull[r][i]);
            v_pow5(&s[i]);
        }
        v_matrix(pp, r == half - 1 ? pp->vpre : pp->vmds, s);
    }
    for (int k = 0; k < pp->rp; k++) {
        v_add_c(&s[0], pp->vpartial[k]);
        v_pow5(&s[0]);
        __m512i acc[10];
        v_zero10(acc);
        for (int j = 0; j < t; j++) {
            v_mul_acc_c(acc, pp->vsrow[k][j], &s[j]);
        }
        for (int i = 1; i < t; i++) {
            /* s[i] + c s[0]: s[i] enters the unreduced sum shifted by 2^260, so one reduction does both */
            __m512i ti[10];
            for (int q = 0; q < 5; q++) {
                ti[q] = _mm512_setzero_si512();
                ti[q + 5] = s[i].l[q];
            }
            v_mul_acc_c(ti, pp->vscol[k][i - 1], &s[0]);
            v_redc(&s[i], ti);
        }
        v_redc(&s[0], acc);
    }
    for (int r = half; r < pp->rf - 1; r++) {
        for (int i = 0; i < t; i++) {
            v_add_c(&s[i], pp->vfull[r][i]);
            v_pow5(&s[i]);
        }
        v_matrix(pp, pp->vmds, s);
    }
    for (int i = 0; i < t; i++) {
        v_add_c(&s[i], pp->vfull[pp->rf - 1][i]);
        v_pow5(&s[i]);
    }
    __m512i acc[10];
    v_zero10(acc);
    for (int j = 0; j < t; j++) {
        v_mul_acc_c(acc, pp->vmds[1][j], &s[j]);
    }
    v_redc(digest, acc);
}

static inline void to52(uint64_t r[5], const uint64_t a[4]) {
    r[0] = a[0] & M52;
    r[1] = ((a[0] >> 52) | (a[1] << 12)) & M52;
    r[2] = ((a[1] >> 40) | (a[2] << 24)) & M52;
    r[3] = ((a[2] >> 28) | (a[3] << 36)) & M52;
    r[4] = a[3] >> 16;
}

static inline void from52(uint64_t r[4], const uint64_t a[5]) {
    r[0] = a[0] | (a[1] << 52);
    r[1] = (a[1] >> 12) | (a[2] << 40);
    r[2] = (a[2] >> 24) | (a[3] << 28);
    r[3] = (a[3] >> 36) | (a[4] << 16);
}

static int64_t ifma_hash(const params *pp, int arity, const uint8_t *in, int64_t count, uint8_t *out) {
    for (int64_t g0 = 0; g0 < count; g0 += 8) {
        int lanes = count - g0 < 8 ? (int) (count - g0) : 8;
        uint64_t limbs[MAX_T][5][8];
        for (int l = 0; l < 8; l++) {
            int src = l < lanes ? l : 0;   /* idle lanes repeat the first group; their digests are dropped */
            for (int i = 0; i < arity; i++) {
                uint64_t raw[4], r52[5];
                load_le(raw, in + ((g0 + src) * arity + i) * 32);
                if (!canonical(raw)) {
                    return (g0 + src) * arity + i;
                }
                to52(r52, raw);
                for (int q = 0; q < 5; q++) {
                    limbs[i + 1][q][l] = r52[q];
                }
            }
        }
        v8 s[MAX_T];
        v8 rr;
        for (int q = 0; q < 5; q++) {
            s[0].l[q] = bc(pp->vtag[q]);
            rr.l[q] = bc(RR52[q]);
        }
        for (int i = 1; i <= arity; i++) {
            v8 raw;
            for (int q = 0; q < 5; q++) {
                raw.l[q] = _mm512_loadu_si512((const void *) limbs[i][q]);
            }
            v_mul(&s[i], &raw, &rr);
        }
        v8 d;
        v_permute(pp, s, &d);
        /* leave Montgomery form: multiply by 1, then bring below p */
        __m512i tt[10];
        for (int q = 0; q < 10; q++) {
            tt[q] = q < 5 ? d.l[q] : _mm512_setzero_si512();
        }
        v_redc(&d, tt);
        v_csub(&d, P52);
        uint64_t res[5][8];
        for (int q = 0; q < 5; q++) {
            _mm512_storeu_si512((void *) res[q], d.l[q]);
        }
        for (int l = 0; l < lanes; l++) {
            uint64_t r52[5], r[4];
            for (int q = 0; q < 5; q++) {
                r52[q] = res[q][l];
            }
            from52(r, r52);
            store_le(out + (g0 + l) * 32, r);
        }
    }
    return -1;
}

/* chained products in all eight lanes, for measuring the multiplication alone */
static void ifma_mul_chain(uint64_t x[4], const uint64_t y[4], int64_t n) {
    uint64_t x52[5], y52[5];
    to52(x52, x);
    to52(y52, y);
    v8 a, b;
    for (int q = 0; q < 5; q++) {
        a.l[q] = bc(x52[q]);
        b.l[q] = bc(y52[q]);
    }
    for (int64_t i = 0; i < n; i++) {
        v_mul(&a, &a, &b);
    }
    v_csub(&a, P52);
    uint64_t res[5][8];
    for (int q = 0; q < 5; q++) {
        _mm512_storeu_si512((void *) res[q], a.l[q]);
        x52[q] = res[q][0];
    }
    from52(x, x52);
}

#pragma GCC pop_options
#endif

/* ------------------------------------------------------------------------------------------------------------- */
/* set-up and the exported surface                                                                                 */

static int cpu_paths(void) {
    int paths = PF_PORTABLE;
#ifdef PF_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("bmi2") && __builtin_cpu_supports("adx")) {
        paths |= PF_MULX_ADX;
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512ifma")) {
            paths |= PF_IFMA;
        }
    }
#endif
    return paths;
}

static int field_ready;

static void field_init(void) {
    if (field_ready) {
        return;
    }
    uint64_t inv = 1;   /* Newton: inv = p0^-1 mod 2^64 */
    for (int i = 0; i < 6; i++) {
        inv *= 2 - P[0] * inv;
    }
    N0 = 0 - inv;
    uint64_t x[4] = {1, 0, 0, 0};
    for (int i = 0; i < 512; i++) {
        fe_add(x, x, x);
    }
    memcpy(R2, x, sizeof x);
    for (int k = 0; k < 4; k++) {   /* PK = 8p, 4p, 2p, p */
        u128 c = 0;
        for (int i = 0; i < 4; i++) {
            c += (u128) P[i] << (3 - k);
            PK[k][i] = (uint64_t) c;
            c >>= 64;
        }
        PK[k][4] = (uint64_t) c;
    }
#ifdef PF_X86
    to52(P52, P);
    uint64_t two[4];
    u128 c = 0;
    for (int i = 0; i < 4; i++) {
        c += (u128) P[i] << 1;
        two[i] = (uint64_t) c;
        c >>= 64;
    }
    to52(TWO_P52, two);
    uint64_t inv52 = 1;
    for (int i = 0; i < 6; i++) {
        inv52 *= 2 - P[0] * inv52;
    }
    N52 = (0 - inv52) & M52;
    uint64_t y[4] = {1, 0, 0, 0};
    for (int i = 0; i < 520; i++) {
        fe_add(y, y, y);
    }
    to52(RR52, y);
#endif
    field_ready = 1;
}

/* a canonical value c (raw limbs) as a scalar-path constant (c * 2^256 mod p) and an IFMA one (c * 2^260 mod p) */
static int set_constant(const uint8_t *b, uint64_t scalar[4], uint64_t *vector) {
    uint64_t raw[4];
    load_le(raw, b);
    if (!canonical(raw)) {
        return 0;
    }
    fe_mul_c(scalar, raw, R2);
#ifdef PF_X86
    uint64_t v[4];
    memcpy(v, scalar, sizeof v);
    for (int i = 0; i < 4; i++) {
        fe_add(v, v, v);
    }
    to52(vector, v);
#else
    (void) vector;
#endif
    return 1;
}

#ifdef PF_X86
#define VEC(x) (x)
#else
#define VEC(x) NULL
#endif

/*
 * Hands over the constants of one arity: tag, full-round constants (rf x t), partial-round constants (rp), the MDS
 * matrix (t x t, row-major), the pre-sparse matrix (t x t), the sparse rows (rp x t) and columns (rp x (t-1)), each
 * a canonical 32-byte little-endian value. Returns 0, or a negative code: -1 bad shape, -2 wrong length,
 * -3 a value that is not canonical. Called before any hashing of that arity, never concurrently with it.
 */
PF_API int pf_init(int arity, int rf, int rp, const uint8_t *constants, int64_t length) {
    int t = arity + 1;
    if (arity < 2 || t > MAX_T || rf < 2 || rf % 2 != 0 || rf > MAX_ROUNDS || rp < 1 || rp > MAX_ROUNDS) {
        return -1;
    }
    int64_t n = 1 + (int64_t) rf * t + rp + 2 * (int64_t) t * t + (int64_t) rp * t + (int64_t) rp * (t - 1);
    if (length != n * 32) {
        return -2;
    }
    field_init();
    params *pp = &PARAMS[arity];
    memset(pp, 0, sizeof *pp);
    pp->t = t;
    pp->rf = rf;
    pp->rp = rp;
    const uint8_t *c = constants;
    int ok = set_constant(c, pp->tag, VEC(pp->vtag));
    c += 32;
    for (int r = 0; r < rf; r++) {
        for (int i = 0; i < t; i++, c += 32) {
            ok &= set_constant(c, pp->full[r][i], VEC(pp->vfull[r][i]));
        }
    }
    for (int k = 0; k < rp; k++, c += 32) {
        ok &= set_constant(c, pp->partial[k], VEC(pp->vpartial[k]));
    }
    for (int i = 0; i < t; i++) {
        for (int j = 0; j < t; j++, c += 32) {
            ok &= set_constant(c, pp->mds[i][j], VEC(pp->vmds[i][j]));
        }
    }
    for (int i = 0; i < t; i++) {
        for (int j = 0; j < t; j++, c += 32) {
            ok &= set_constant(c, pp->pre[i][j], VEC(pp->vpre[i][j]));
        }
    }
    for (int k = 0; k < rp; k++) {
        for (int j = 0; j < t; j++, c += 32) {
            ok &= set_constant(c, pp->srow[k][j], VEC(pp->vsrow[k][j]));
        }
    }
    for (int k = 0; k < rp; k++) {
        for (int j = 0; j < t - 1; j++, c += 32) {
            ok &= set_constant(c, pp->scol[k][j], VEC(pp->vscol[k][j]));
        }
    }
    if (!ok) {
        return -3;
    }
    pp->ready = 1;
    return 0;
}

/* The paths this CPU can run (PF_PORTABLE | PF_MULX_ADX | PF_IFMA). */
PF_API int pf_paths(void) {
    return cpu_paths();
}

/* The version of this interface; the Java side refuses a library of another one. */
PF_API int pf_version(void) {
    return 1;
}

/*
 * Hashes count groups of arity elements (in + inOff) into count digests (out + outOff) on one path. Returns -1,
 * -2 for an arity not initialized, -3 for a path this CPU or build lacks, or -4 - k with k the index
 * (group * arity + element) of the first non-canonical input.
 */
PF_API int64_t pf_hash(int path, int arity, const uint8_t *in, int64_t inOff, int64_t count, uint8_t *out,
                       int64_t outOff) {
    if (arity < 2 || arity + 1 > MAX_T || !PARAMS[arity].ready) {
        return -2;
    }
    if ((cpu_paths() & path) == 0) {
        return -3;
    }
    const params *pp = &PARAMS[arity];
    int64_t bad = -1;
    switch (path) {
        case PF_PORTABLE:
            bad = portable_hash(pp, arity, in + inOff, count, out + outOff);
            break;
#ifdef PF_X86
        case PF_MULX_ADX:
            bad = adx_hash(pp, arity, in + inOff, count, out + outOff);
            break;
        case PF_IFMA:
            bad = ifma_hash(pp, arity, in + inOff, count, out + outOff);
            break;
#endif
        default:
            return -3;
    }
    return bad < 0 ? -1 : -4 - bad;
}

/*
 * x = x * y (Montgomery products, canonical 32-byte values in and out) n times on one path, for benchmarks of the
 * multiplication alone; the IFMA path runs eight lanes at once. Returns 0, or -3 for a path this CPU lacks.
 */
PF_API int pf_mul_chain(int path, uint8_t *x, const uint8_t *y, int64_t n) {
    if ((cpu_paths() & path) == 0) {
        return -3;
    }
    field_init();
    uint64_t a[4], b[4];
    load_le(a, x);
    load_le(b, y);
    switch (path) {
        case PF_PORTABLE:
            for (int64_t i = 0; i < n; i++) {
                fe_mul_c(a, a, b);
            }
            break;
#ifdef PF_X86
        case PF_MULX_ADX:
            for (int64_t i = 0; i < n; i++) {
                fe_mul_adx(a, a, b);
            }
            break;
        case PF_IFMA:
            ifma_mul_chain(a, b, n);
            break;
#endif
        default:
            return -3;
    }
    store_le(x, a);
    return 0;
}
