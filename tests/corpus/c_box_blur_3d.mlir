// B[i][j][k] = (A[i][j][k] + A[i][j][k+1] + A[i][j+1][k] + A[i+1][j][k]) / 4 for
// 0 <= i < 6, 0 <= j < 8, 0 <= k < 10 on a 7x9x11 grid (a forward box, last planes of B
// kept); static f64, division by a constant.
module {
  func.func @c_box_blur_3d(%arg0: memref<7x9x11xf64>, %arg1: memref<7x9x11xf64>) {
    %cst = arith.constant 4.000000e+00 : f64
    affine.for %i = 0 to 6 {
      affine.for %j = 0 to 8 {
        affine.for %k = 0 to 10 {
          %0 = affine.load %arg0[%i, %j, %k] : memref<7x9x11xf64>
          %1 = affine.load %arg0[%i, %j, %k + 1] : memref<7x9x11xf64>
          %2 = affine.load %arg0[%i, %j + 1, %k] : memref<7x9x11xf64>
          %3 = affine.load %arg0[%i + 1, %j, %k] : memref<7x9x11xf64>
          %4 = arith.addf %0, %1 : f64
          %5 = arith.addf %2, %3 : f64
          %6 = arith.addf %4, %5 : f64
          %7 = arith.divf %6, %cst : f64
          affine.store %7, %arg1[%i, %j, %k] : memref<7x9x11xf64>
        }
      }
    }
    return
  }
}
