// out = min(a + b, 1) (linear dodge / add with clamp, C's `s > 1.0f ? 1.0f : s`) on 5x3 float
// images in [0,1).
module {
  func.func @f_blend_linear_dodge(%arg0: memref<5x3xf32>, %arg1: memref<5x3xf32>, %arg2: memref<5x3xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 1.000000e+00 : f32
    affine.for %arg3 = 0 to 5 {
      affine.for %arg4 = 0 to 3 {
        %0 = affine.load %arg0[%arg3, %arg4] : memref<5x3xf32>
        %1 = affine.load %arg1[%arg3, %arg4] : memref<5x3xf32>
        %2 = arith.addf %0, %1 : f32
        %3 = arith.cmpf ogt, %2, %cst : f32
        %4 = arith.select %3, %cst, %2 : f32
        affine.store %4, %arg2[%arg3, %arg4] : memref<5x3xf32>
      }
    }
    return
  }
}
