// x[i] = alpha * x[i] for i < 100 (BLAS dscal, in place).
module {
  func.func @f_dscal(%arg0: i32, %arg1: f64, %arg2: memref<100xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %c100 = arith.constant 100 : index
    affine.for %arg3 = 0 to 100 {
      %0 = affine.load %arg2[%arg3] : memref<100xf64>
      %1 = arith.mulf %0, %arg1 : f64
      affine.store %1, %arg2[%arg3] : memref<100xf64>
    }
    return
  }
}
