// returns sum_i x[i]^2 over 32 samples (signal energy), carried in iter_args, as f64.
module {
  func.func @f_energy(%arg0: memref<32xf64>, %arg1: i32) -> f64 attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f64
    %0 = affine.for %arg2 = 0 to 32 iter_args(%arg3 = %cst) -> (f64) {
      %1 = affine.load %arg0[%arg2] : memref<32xf64>
      %2 = arith.mulf %1, %1 : f64
      %3 = arith.addf %arg3, %2 : f64
      affine.yield %3 : f64
    }
    return %0 : f64
  }
}
