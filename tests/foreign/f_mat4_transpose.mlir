// T = M^T for a 4x4 float matrix (T[i][j] = M[j][i]).
module {
  func.func @f_mat4_transpose(%arg0: memref<4x4xf32>, %arg1: memref<4x4xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg2 = 0 to 4 {
      affine.for %arg3 = 0 to 4 {
        %0 = affine.load %arg0[%arg3, %arg2] : memref<4x4xf32>
        affine.store %0, %arg1[%arg2, %arg3] : memref<4x4xf32>
      }
    }
    return
  }
}
