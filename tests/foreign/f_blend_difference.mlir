// out = |a - b| (difference blend) on 8x8 double images.
module {
  func.func @f_blend_difference(%arg0: memref<8x8xf64>, %arg1: memref<8x8xf64>, %arg2: memref<8x8xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg3 = 0 to 8 {
      affine.for %arg4 = 0 to 8 {
        %0 = affine.load %arg0[%arg3, %arg4] : memref<8x8xf64>
        %1 = affine.load %arg1[%arg3, %arg4] : memref<8x8xf64>
        %2 = arith.subf %0, %1 : f64
        %3 = math.absf %2 : f64
        affine.store %3, %arg2[%arg3, %arg4] : memref<8x8xf64>
      }
    }
    return
  }
}
