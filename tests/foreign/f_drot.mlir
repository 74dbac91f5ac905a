// plane rotation (BLAS drot) of 11 points: x'[i] = c x[i] + s y[i], y'[i] = c y[i] - s x[i],
// both in place, c and s scalar arguments.
module {
  func.func @f_drot(%arg0: i32, %arg1: memref<11xf64>, %arg2: memref<11xf64>, %arg3: f64, %arg4: f64) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg5 = 0 to 11 {
      %0 = affine.load %arg1[%arg5] : memref<11xf64>
      %1 = affine.load %arg2[%arg5] : memref<11xf64>
      %2 = arith.mulf %arg3, %0 : f64
      %3 = arith.mulf %arg4, %1 : f64
      %4 = arith.addf %2, %3 : f64
      %5 = arith.mulf %arg3, %1 : f64
      %6 = arith.mulf %arg4, %0 : f64
      %7 = arith.subf %5, %6 : f64
      affine.store %4, %arg1[%arg5] : memref<11xf64>
      affine.store %7, %arg2[%arg5] : memref<11xf64>
    }
    return
  }
}
