// A[i][j] = A[i][j] + alpha * u[i] * v[j] (outer-product update of an in-out matrix);
// static 6x13 f64.
module {
  func.func @c_rank1_update(%arg0: f64, %arg1: memref<6x13xf64>, %arg2: memref<6xf64>, %arg3: memref<13xf64>) {
    affine.for %arg4 = 0 to 6 {
      affine.for %arg5 = 0 to 13 {
        %0 = affine.load %arg2[%arg4] : memref<6xf64>
        %1 = arith.mulf %arg0, %0 : f64
        %2 = affine.load %arg3[%arg5] : memref<13xf64>
        %3 = arith.mulf %1, %2 : f64
        %4 = affine.load %arg1[%arg4, %arg5] : memref<6x13xf64>
        %5 = arith.addf %4, %3 : f64
        affine.store %5, %arg1[%arg4, %arg5] : memref<6x13xf64>
      }
    }
    return
  }
}
