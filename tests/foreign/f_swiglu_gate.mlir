// hb[i] = silu(hb[i]) * hb2[i] = hb[i] / (1 + exp(-hb[i])) * hb2[i] for 11 floats, in place
// (llama2.c SwiGLU gate).
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_swiglu_gate(%arg0: memref<11xf32>, %arg1: memref<11xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 1.000000e+00 : f32
    affine.for %arg2 = 0 to 11 {
      %0 = affine.load %arg0[%arg2] : memref<11xf32>
      %1 = arith.negf %0 : f32
      %2 = math.exp %1 : f32
      %3 = arith.addf %2, %cst : f32
      %4 = arith.divf %cst, %3 : f32
      %5 = arith.mulf %0, %4 : f32
      %6 = affine.load %arg1[%arg2] : memref<11xf32>
      %7 = arith.mulf %5, %6 : f32
      affine.store %7, %arg0[%arg2] : memref<11xf32>
    }
    return
  }
}
