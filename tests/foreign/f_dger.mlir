// A = A + alpha * x y^T (BLAS dger, rank-1 update) on a 4x4 matrix; the loop over columns is
// outer (column-major habit), temp = alpha * y[j] hoisted.
module {
  func.func @f_dger(%arg0: i32, %arg1: f64, %arg2: memref<4xf64>, %arg3: memref<4xf64>, %arg4: memref<4x4xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg5 = 0 to 4 {
      %0 = affine.load %arg3[%arg5] : memref<4xf64>
      %1 = arith.mulf %arg1, %0 : f64
      affine.for %arg6 = 0 to 4 {
        %2 = affine.load %arg2[%arg6] : memref<4xf64>
        %3 = arith.mulf %2, %1 : f64
        %4 = affine.load %arg4[%arg6, %arg5] : memref<4x4xf64>
        %5 = arith.addf %4, %3 : f64
        affine.store %5, %arg4[%arg6, %arg5] : memref<4x4xf64>
      }
    }
    return
  }
}
