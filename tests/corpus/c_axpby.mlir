// y[i] = a * x[i] + b * y[i] for i < 13 (scaled vector add, scalar f64 arguments); static f64.
module {
  func.func @c_axpby(%arg0: f64, %arg1: f64, %arg2: memref<13xf64>, %arg3: memref<13xf64>) {
    affine.for %arg4 = 0 to 13 {
      %0 = affine.load %arg2[%arg4] : memref<13xf64>
      %1 = arith.mulf %arg0, %0 : f64
      %2 = affine.load %arg3[%arg4] : memref<13xf64>
      %3 = arith.mulf %arg1, %2 : f64
      %4 = arith.addf %1, %3 : f64
      affine.store %4, %arg3[%arg4] : memref<13xf64>
    }
    return
  }
}
