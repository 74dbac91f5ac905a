// o[j] = w[j] * (x[j] / sqrt(sum_k x[k]^2 / size + 1e-5)) for 16 floats (llama2.c rmsnorm:
// ss accumulated, divided by the i32 size, eps added, inverted square root, then scaled).
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_rmsnorm(%arg0: memref<16xf32>, %arg1: memref<16xf32>, %arg2: memref<16xf32>, %arg3: i32) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f32
    %cst_0 = arith.constant 9.99999974E-6 : f32
    %cst_1 = arith.constant 1.000000e+00 : f32
    %0 = affine.for %arg4 = 0 to 16 iter_args(%arg5 = %cst) -> (f32) {
      %6 = affine.load %arg1[%arg4] : memref<16xf32>
      %7 = arith.mulf %6, %6 : f32
      %8 = arith.addf %arg5, %7 : f32
      affine.yield %8 : f32
    }
    %1 = arith.sitofp %arg3 : i32 to f32
    %2 = arith.divf %0, %1 : f32
    %3 = arith.addf %2, %cst_0 : f32
    %4 = math.sqrt %3 : f32
    %5 = arith.divf %cst_1, %4 : f32
    affine.for %arg4 = 0 to 16 {
      %6 = affine.load %arg2[%arg4] : memref<16xf32>
      %7 = affine.load %arg1[%arg4] : memref<16xf32>
      %8 = arith.mulf %5, %7 : f32
      %9 = arith.mulf %6, %8 : f32
      affine.store %9, %arg0[%arg4] : memref<16xf32>
    }
    return
  }
}
