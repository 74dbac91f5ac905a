// B[j][i] = A[i][j] (transposition copy); static f32, A 6x13, B 13x6; loops follow B.
module {
  func.func @c_transpose_copy_f32(%arg0: memref<6x13xf32>, %arg1: memref<13x6xf32>) {
    affine.for %arg2 = 0 to 13 {
      affine.for %arg3 = 0 to 6 {
        %0 = affine.load %arg0[%arg3, %arg2] : memref<6x13xf32>
        affine.store %0, %arg1[%arg2, %arg3] : memref<13x6xf32>
      }
    }
    return
  }
}
