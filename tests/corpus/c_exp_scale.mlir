// B[i][j] = alpha * exp(A[i][j]) (scaled elementwise exponential, scalar f64 argument alpha);
// static 7x12 f64.
module {
  func.func @c_exp_scale(%arg0: f64, %arg1: memref<7x12xf64>, %arg2: memref<7x12xf64>) {
    affine.for %arg3 = 0 to 7 {
      affine.for %arg4 = 0 to 12 {
        %0 = affine.load %arg1[%arg3, %arg4] : memref<7x12xf64>
        %1 = math.exp %0 : f64
        %2 = arith.mulf %arg0, %1 : f64
        affine.store %2, %arg2[%arg3, %arg4] : memref<7x12xf64>
      }
    }
    return
  }
}
