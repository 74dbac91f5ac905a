// returns sum_i x[i] * y[i] over 16 elements (BLAS ddot): C's `double s = 0; ... return s;`
// as a 0-d alloca that is accumulated, loaded and returned as f64.
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_ddot(%arg0: i32, %arg1: memref<16xf64>, %arg2: memref<16xf64>) -> f64 attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f64
    %alloca = memref.alloca() : memref<f64>
    affine.store %cst, %alloca[] : memref<f64>
    affine.for %arg3 = 0 to 16 {
      %1 = affine.load %arg1[%arg3] : memref<16xf64>
      %2 = affine.load %arg2[%arg3] : memref<16xf64>
      %3 = arith.mulf %1, %2 : f64
      %4 = affine.load %alloca[] : memref<f64>
      %5 = arith.addf %4, %3 : f64
      affine.store %5, %alloca[] : memref<f64>
    }
    %0 = affine.load %alloca[] : memref<f64>
    return %0 : f64
  }
}
