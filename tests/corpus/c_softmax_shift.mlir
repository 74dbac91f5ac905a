// B[i][j] = exp(A[i][j] - max_k A[i][k]) (softmax numerator, shifted by the row maximum: the
// maximum carried in iter_args from -inf, C's -INFINITY); static 6x9 f64.
module {
  func.func @c_softmax_shift(%arg0: memref<6x9xf64>, %arg1: memref<6x9xf64>) {
    %cst = arith.constant 0xFFF0000000000000 : f64
    affine.for %arg2 = 0 to 6 {
      %0 = affine.for %arg3 = 0 to 9 iter_args(%arg4 = %cst) -> (f64) {
        %1 = affine.load %arg0[%arg2, %arg3] : memref<6x9xf64>
        %2 = arith.maximumf %arg4, %1 : f64
        affine.yield %2 : f64
      }
      affine.for %arg3 = 0 to 9 {
        %1 = affine.load %arg0[%arg2, %arg3] : memref<6x9xf64>
        %2 = arith.subf %1, %0 : f64
        %3 = math.exp %2 : f64
        affine.store %3, %arg1[%arg2, %arg3] : memref<6x9xf64>
      }
    }
    return
  }
}
