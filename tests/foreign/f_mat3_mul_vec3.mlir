// r = M v for a 3x3 double matrix and a vec3 (r[i] = sum_j M[i][j] v[j]).
module {
  func.func @f_mat3_mul_vec3(%arg0: memref<3x3xf64>, %arg1: memref<3xf64>, %arg2: memref<3xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f64
    affine.for %arg3 = 0 to 3 {
      %0 = affine.for %arg4 = 0 to 3 iter_args(%arg5 = %cst) -> (f64) {
        %1 = affine.load %arg0[%arg3, %arg4] : memref<3x3xf64>
        %2 = affine.load %arg1[%arg4] : memref<3xf64>
        %3 = arith.mulf %1, %2 : f64
        %4 = arith.addf %arg5, %3 : f64
        affine.yield %4 : f64
      }
      affine.store %0, %arg2[%arg3] : memref<3xf64>
    }
    return
  }
}
