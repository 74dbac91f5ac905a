// Two functions filling with a constant:
//   f_fill_zero: x[i] = 0.0 for 10 doubles       f_fill_one: M[i][j] = 1.0 on a 3x3 float matrix
module {
  func.func @f_fill_zero(%arg0: memref<10xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f64
    affine.for %arg1 = 0 to 10 {
      affine.store %cst, %arg0[%arg1] : memref<10xf64>
    }
    return
  }
  func.func @f_fill_one(%arg0: memref<3x3xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 1.000000e+00 : f32
    %c3 = arith.constant 3 : index
    affine.for %arg1 = 0 to 3 {
      affine.for %arg2 = 0 to 3 {
        affine.store %cst, %arg0[%arg1, %arg2] : memref<3x3xf32>
      }
    }
    return
  }
}
