// y[i] = sum_{k<4} x[4i+k] (decimation by block sums, stride 4, a 12-sample double signal ->
// 3); the sum in iter_args, returned through y.
module {
  func.func @f_block_sum(%arg0: memref<12xf64>, %arg1: memref<3xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f64
    affine.for %arg2 = 0 to 3 {
      %0 = affine.for %arg3 = 0 to 4 iter_args(%arg4 = %cst) -> (f64) {
        %1 = affine.load %arg0[%arg2 * 4 + %arg3] : memref<12xf64>
        %2 = arith.addf %arg4, %1 : f64
        affine.yield %2 : f64
      }
      affine.store %0, %arg1[%arg2] : memref<3xf64>
    }
    return
  }
}
