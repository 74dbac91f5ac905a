// L[i][j] = U[i-1][j] + U[i+1][j] + U[i][j-1] + U[i][j+1] - 4*U[i][j] for the interior of a
// 11x13 grid (border of L kept); static f64, column-major loop order (j outer).
module {
  func.func @c_laplace_2d(%arg0: memref<11x13xf64>, %arg1: memref<11x13xf64>) {
    %cst = arith.constant 4.000000e+00 : f64
    affine.for %j = 1 to 12 {
      affine.for %i = 1 to 10 {
        %c = affine.load %arg0[%i, %j] : memref<11x13xf64>
        %n = affine.load %arg0[%i - 1, %j] : memref<11x13xf64>
        %s = affine.load %arg0[%i + 1, %j] : memref<11x13xf64>
        %w = affine.load %arg0[%i, %j - 1] : memref<11x13xf64>
        %e = affine.load %arg0[%i, %j + 1] : memref<11x13xf64>
        %0 = arith.addf %n, %s : f64
        %1 = arith.addf %w, %e : f64
        %2 = arith.addf %0, %1 : f64
        %3 = arith.mulf %cst, %c : f64
        %4 = arith.subf %2, %3 : f64
        affine.store %4, %arg1[%i, %j] : memref<11x13xf64>
      }
    }
    return
  }
}
