// s = sum_i x[i] * y[i] (dot product into a 0-d memref); static 13 f64, iter_args.
module {
  func.func @c_dot_0d(%arg0: memref<13xf64>, %arg1: memref<13xf64>, %arg2: memref<f64>) {
    %cst = arith.constant 0.000000e+00 : f64
    %0 = affine.for %arg3 = 0 to 13 iter_args(%arg4 = %cst) -> (f64) {
      %1 = affine.load %arg0[%arg3] : memref<13xf64>
      %2 = affine.load %arg1[%arg3] : memref<13xf64>
      %3 = arith.mulf %1, %2 : f64
      %4 = arith.addf %arg4, %3 : f64
      affine.yield %4 : f64
    }
    affine.store %0, %arg2[] : memref<f64>
    return
  }
}
