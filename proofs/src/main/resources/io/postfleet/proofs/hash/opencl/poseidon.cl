// Poseidon permutation of width T (arity T - 1), Filecoin MerkleTree hash: one work-item hashes one group.
// Included once per arity with T, RF, RP and KERNEL_NAME defined, after fr.cl; PARAM_SPACE is __constant or
// __global depending on the device's constant buffer size.
//
// params (each entry one field element, 4 ulongs, Montgomery form), prepared on the host from the plain round
// constants and MDS matrix:
//   [0]                      domain tag (2^arity - 1)
//   [RC_FULL, +RF*T)         full-round constants; the partial rounds' carried constants are folded into the
//                            first full round after them
//   [RC_PART, +RP)           one constant per partial round, added to state[0] only
//   [MDS, +T*T)              MDS matrix, row-major, new[i] = sum_j M[i][j] * s[j]
//   [PRE, +T*T)              matrix of the last full round before the partial rounds (MDS times the dense factor
//                            carried back out of the partial rounds)
//   [SPARSE, +RP*(2T-1))     per partial round: row 0 (T entries), then column 0 below the diagonal (T-1 entries);
//                            the rest of that round's matrix is the identity

#define RC_FULL 1
#define RC_PART (RC_FULL + RF * T)
#define MDS (RC_PART + RP)
#define PRE (MDS + T * T)
#define SPARSE (PRE + T * T)

__kernel void KERNEL_NAME(__global const ulong *in, ulong in_off, __global ulong *out, ulong out_off, uint count,
                          PARAM_SPACE const ulong *params) {
    uint g = get_global_id(0);
    if (g >= count) {
        return;
    }
    fr s[T];
    fr n[T];
    s[0] = PARAM(0);
    __global const ulong *src = in + (in_off + (ulong) g * (T - 1)) * 4;
#pragma unroll
    for (int i = 1; i < T; i++) {
        s[i] = fr_to_mont(fr_load(src + (i - 1) * 4));
    }

    uint rc = RC_FULL;
    for (int r = 0; r < RF; r++) {
        if (r == RF / 2) {
            for (int p = 0; p < RP; p++) {
                s[0] = fr_pow5(fr_add(s[0], PARAM(RC_PART + p)));
                uint sp = SPARSE + p * (2 * T - 1);
                fr s0 = s[0];
                fr acc = fr_mul(PARAM(sp), s0);
#pragma unroll
                for (int i = 1; i < T; i++) {
                    acc = fr_add(acc, fr_mul(PARAM(sp + i), s[i]));
                }
#pragma unroll
                for (int i = 1; i < T; i++) {
                    s[i] = fr_add(s[i], fr_mul(PARAM(sp + T - 1 + i), s0));
                }
                s[0] = acc;
            }
        }
#pragma unroll
        for (int i = 0; i < T; i++) {
            s[i] = fr_pow5(fr_add(s[i], PARAM(rc + i)));
        }
        rc += T;
        uint m = (r == RF / 2 - 1) ? PRE : MDS;
#pragma unroll
        for (int i = 0; i < T; i++) {
            fr acc = fr_mul(PARAM(m + i * T), s[0]);
#pragma unroll
            for (int j = 1; j < T; j++) {
                acc = fr_add(acc, fr_mul(PARAM(m + i * T + j), s[j]));
            }
            n[i] = acc;
        }
#pragma unroll
        for (int i = 0; i < T; i++) {
            s[i] = n[i];
        }
    }
    fr_store(out + (out_off + g) * 4, fr_from_mont(s[1]));
}

#undef RC_FULL
#undef RC_PART
#undef MDS
#undef PRE
#undef SPARSE
