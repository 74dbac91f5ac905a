// x[i] = x[i-1] * a + b[i] for 1 <= i < 13 (x[0] kept); static f64. Not raisable by design:
// a true loop-carried recurrence.
module {
  func.func @c_linear_recurrence(%arg0: f64, %arg1: memref<13xf64>, %arg2: memref<13xf64>) {
    affine.for %arg3 = 1 to 13 {
      %0 = affine.load %arg1[%arg3 - 1] : memref<13xf64>
      %1 = arith.mulf %0, %arg0 : f64
      %2 = affine.load %arg2[%arg3] : memref<13xf64>
      %3 = arith.addf %1, %2 : f64
      affine.store %3, %arg1[%arg3] : memref<13xf64>
    }
    return
  }
}
