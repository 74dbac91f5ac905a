// Two functions, y[i] = a * x[i] + y[i] at tiny extents:
//   f_axpy_n1: n = 1 (a one-trip loop)      f_axpy_n2: n = 2
module {
  func.func @f_axpy_n1(%arg0: f64, %arg1: memref<1xf64>, %arg2: memref<1xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg3 = 0 to 1 {
      %0 = affine.load %arg1[%arg3] : memref<1xf64>
      %1 = arith.mulf %arg0, %0 : f64
      %2 = affine.load %arg2[%arg3] : memref<1xf64>
      %3 = arith.addf %2, %1 : f64
      affine.store %3, %arg2[%arg3] : memref<1xf64>
    }
    return
  }
  func.func @f_axpy_n2(%arg0: f64, %arg1: memref<2xf64>, %arg2: memref<2xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg3 = 0 to 2 {
      %0 = affine.load %arg1[%arg3] : memref<2xf64>
      %1 = arith.mulf %arg0, %0 : f64
      %2 = affine.load %arg2[%arg3] : memref<2xf64>
      %3 = arith.addf %2, %1 : f64
      affine.store %3, %arg2[%arg3] : memref<2xf64>
    }
    return
  }
}
