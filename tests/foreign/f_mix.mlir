// out[i] = wa * a[i] + wb * b[i] for 16 samples (mixing two signals with scalar weights).
module {
  func.func @f_mix(%arg0: memref<16xf64>, %arg1: memref<16xf64>, %arg2: f64, %arg3: f64, %arg4: memref<16xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg5 = 0 to 16 {
      %0 = affine.load %arg1[%arg5] : memref<16xf64>
      %1 = arith.mulf %0, %arg3 : f64
      %2 = affine.load %arg0[%arg5] : memref<16xf64>
      %3 = arith.mulf %2, %arg2 : f64
      %4 = arith.addf %3, %1 : f64
      affine.store %4, %arg4[%arg5] : memref<16xf64>
    }
    return
  }
}
