// B[i][j] = min(max(A[i][j], lo), hi) (clamp between scalar f64 arguments lo and hi; the
// lower bound as a ternary A < lo ? lo : A, the upper one with arith.minimumf); static 9x5 f64.
module {
  func.func @c_clamp(%arg0: f64, %arg1: f64, %arg2: memref<9x5xf64>, %arg3: memref<9x5xf64>) {
    affine.for %arg4 = 0 to 9 {
      affine.for %arg5 = 0 to 5 {
        %0 = affine.load %arg2[%arg4, %arg5] : memref<9x5xf64>
        %1 = arith.cmpf olt, %0, %arg0 : f64
        %2 = arith.select %1, %arg0, %0 : f64
        %3 = arith.minimumf %2, %arg1 : f64
        affine.store %3, %arg3[%arg4, %arg5] : memref<9x5xf64>
      }
    }
    return
  }
}
