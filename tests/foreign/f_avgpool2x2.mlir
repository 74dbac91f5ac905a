// out[i][j] = (1/4) sum_{p,q<2} in[2i+p][2j+q] (2x2 average pooling, stride 2, a 6x6 float map
// -> 3x3); the sum accumulated in out, then scaled by 0.25.
module {
  func.func @f_avgpool2x2(%arg0: memref<6x6xf32>, %arg1: memref<3x3xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f32
    %cst_0 = arith.constant 2.500000e-01 : f32
    affine.for %arg2 = 0 to 3 {
      affine.for %arg3 = 0 to 3 {
        affine.store %cst, %arg1[%arg2, %arg3] : memref<3x3xf32>
        affine.for %arg4 = 0 to 2 {
          affine.for %arg5 = 0 to 2 {
            %2 = affine.load %arg0[%arg2 * 2 + %arg4, %arg3 * 2 + %arg5] : memref<6x6xf32>
            %3 = affine.load %arg1[%arg2, %arg3] : memref<3x3xf32>
            %4 = arith.addf %3, %2 : f32
            affine.store %4, %arg1[%arg2, %arg3] : memref<3x3xf32>
          }
        }
        %0 = affine.load %arg1[%arg2, %arg3] : memref<3x3xf32>
        %1 = arith.mulf %0, %cst_0 : f32
        affine.store %1, %arg1[%arg2, %arg3] : memref<3x3xf32>
      }
    }
    return
  }
}
