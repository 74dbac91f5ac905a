// y = L x with L the lower triangle (incl. diagonal) of an 8x8 matrix: y[i] = sum_{j<=i}
// A[i][j] x[j] (the triangle as loop bounds 0 to i+1).
module {
  func.func @f_dtrmv_lower(%arg0: memref<8x8xf64>, %arg1: memref<8xf64>, %arg2: memref<8xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f64
    affine.for %arg3 = 0 to 8 {
      %0 = affine.for %arg4 = 0 to affine_map<(d0) -> (d0 + 1)>(%arg3) iter_args(%arg5 = %cst) -> (f64) {
        %1 = affine.load %arg0[%arg3, %arg4] : memref<8x8xf64>
        %2 = affine.load %arg1[%arg4] : memref<8xf64>
        %3 = arith.mulf %1, %2 : f64
        %4 = arith.addf %arg5, %3 : f64
        affine.yield %4 : f64
      }
      affine.store %0, %arg2[%arg3] : memref<8xf64>
    }
    return
  }
}
