// y[i] = y[i] + sum_{k<3} h[k] * x[i + k] for i < 8 (1-D convolution in correlation form,
// accumulated into y; x of 10 doubles).
module {
  func.func @f_conv1d(%arg0: memref<10xf64>, %arg1: memref<3xf64>, %arg2: memref<8xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg3 = 0 to 8 {
      affine.for %arg4 = 0 to 3 {
        %0 = affine.load %arg1[%arg4] : memref<3xf64>
        %1 = affine.load %arg0[%arg3 + %arg4] : memref<10xf64>
        %2 = arith.mulf %0, %1 : f64
        %3 = affine.load %arg2[%arg3] : memref<8xf64>
        %4 = arith.addf %3, %2 : f64
        affine.store %4, %arg2[%arg3] : memref<8xf64>
      }
    }
    return
  }
}
