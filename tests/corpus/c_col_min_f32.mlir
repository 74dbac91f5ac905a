// m[j] = min_i A[i][j] (column minimum, seeded with row 0 and accumulated in m itself with
// arith.minnumf over i = 1 .. 9); static 10x6 f32.
module {
  func.func @c_col_min_f32(%arg0: memref<10x6xf32>, %arg1: memref<6xf32>) {
    affine.for %arg2 = 0 to 6 {
      %0 = affine.load %arg0[0, %arg2] : memref<10x6xf32>
      affine.store %0, %arg1[%arg2] : memref<6xf32>
      affine.for %arg3 = 1 to 10 {
        %1 = affine.load %arg1[%arg2] : memref<6xf32>
        %2 = affine.load %arg0[%arg3, %arg2] : memref<10x6xf32>
        %3 = arith.minnumf %1, %2 : f32
        affine.store %3, %arg1[%arg2] : memref<6xf32>
      }
    }
    return
  }
}
