// C[i][j] = C[i][j] + sum_k A[i][k] * B[k][j] (in-out C); static 7x11 * 11x5 f32, k-i-j order.
module {
  func.func @c_matmul_kij_f32(%arg0: memref<7x11xf32>, %arg1: memref<11x5xf32>, %arg2: memref<7x5xf32>) {
    affine.for %arg3 = 0 to 11 {
      affine.for %arg4 = 0 to 7 {
        affine.for %arg5 = 0 to 5 {
          %0 = affine.load %arg0[%arg4, %arg3] : memref<7x11xf32>
          %1 = affine.load %arg1[%arg3, %arg5] : memref<11x5xf32>
          %2 = arith.mulf %0, %1 : f32
          %3 = affine.load %arg2[%arg4, %arg5] : memref<7x5xf32>
          %4 = arith.addf %3, %2 : f32
          affine.store %4, %arg2[%arg4, %arg5] : memref<7x5xf32>
        }
      }
    }
    return
  }
}
