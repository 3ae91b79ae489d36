// Test kernels for fr.cl: for each pair (a, b) of canonical values, results of a*b, a+b, a-b and a^5, all taken
// through Montgomery form and back, so to/from conversion is exercised by every result.
__kernel void fr_ops(__global const ulong *a, __global const ulong *b, __global ulong *out, uint count) {
    uint g = get_global_id(0);
    if (g >= count) {
        return;
    }
    fr x = fr_to_mont(fr_load(a + g * 4));
    fr y = fr_to_mont(fr_load(b + g * 4));
    __global ulong *o = out + (ulong) g * 16;
    fr_store(o, fr_from_mont(fr_mul(x, y)));
    fr_store(o + 4, fr_from_mont(fr_add(x, y)));
    fr_store(o + 8, fr_from_mont(fr_sub(x, y)));
    fr_store(o + 12, fr_from_mont(fr_pow5(x)));
}
