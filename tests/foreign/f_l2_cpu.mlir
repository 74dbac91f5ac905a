// d = truth - pred; error[i] = d^2, delta[i] = d for 16 floats (darknet l2_cpu: two outputs).
module {
  func.func @f_l2_cpu(%arg0: i32, %arg1: memref<16xf32>, %arg2: memref<16xf32>, %arg3: memref<16xf32>, %arg4: memref<16xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg5 = 0 to 16 {
      %0 = affine.load %arg2[%arg5] : memref<16xf32>
      %1 = affine.load %arg1[%arg5] : memref<16xf32>
      %2 = arith.subf %0, %1 : f32
      %3 = arith.mulf %2, %2 : f32
      affine.store %3, %arg4[%arg5] : memref<16xf32>
      affine.store %2, %arg3[%arg5] : memref<16xf32>
    }
    return
  }
}
