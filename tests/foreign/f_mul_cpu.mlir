// Y[i] = Y[i] * X[i] for 12 floats (darknet mul_cpu: elementwise product, in place).
module {
  func.func @f_mul_cpu(%arg0: i32, %arg1: memref<12xf32>, %arg2: memref<12xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg3 = 0 to 12 {
      %0 = affine.load %arg1[%arg3] : memref<12xf32>
      %1 = affine.load %arg2[%arg3] : memref<12xf32>
      %2 = arith.mulf %1, %0 : f32
      affine.store %2, %arg2[%arg3] : memref<12xf32>
    }
    return
  }
}
