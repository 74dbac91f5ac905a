// y = alpha * A^T x + beta * y (BLAS dgemv, transposed); A is 7x6, x of 7, y of 6; one nest,
// the sum over rows in a scalar temporary (iter_args), j outer.
module {
  func.func @f_dgemv_t(%arg0: f64, %arg1: memref<7x6xf64>, %arg2: memref<7xf64>, %arg3: f64, %arg4: memref<6xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f64
    affine.for %arg5 = 0 to 6 {
      %0 = affine.for %arg6 = 0 to 7 iter_args(%arg7 = %cst) -> (f64) {
        %5 = affine.load %arg1[%arg6, %arg5] : memref<7x6xf64>
        %6 = affine.load %arg2[%arg6] : memref<7xf64>
        %7 = arith.mulf %5, %6 : f64
        %8 = arith.addf %arg7, %7 : f64
        affine.yield %8 : f64
      }
      %1 = arith.mulf %arg0, %0 : f64
      %2 = affine.load %arg4[%arg5] : memref<6xf64>
      %3 = arith.mulf %arg3, %2 : f64
      %4 = arith.addf %1, %3 : f64
      affine.store %4, %arg4[%arg5] : memref<6xf64>
    }
    return
  }
}
