// out[i][j] = sum_{p,q<3} img[2i+p][2j+q] * k[p][q] (2-D correlation with stride 2, a 9x9
// float image -> 4x4); the sum in a 1-element alloca local.
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_conv2d_stride2(%arg0: memref<9x9xf32>, %arg1: memref<3x3xf32>, %arg2: memref<4x4xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f32
    %alloca = memref.alloca() : memref<1xf32>
    affine.for %arg3 = 0 to 4 {
      affine.for %arg4 = 0 to 4 {
        affine.store %cst, %alloca[0] : memref<1xf32>
        affine.for %arg5 = 0 to 3 {
          affine.for %arg6 = 0 to 3 {
            %1 = affine.load %arg0[%arg3 * 2 + %arg5, %arg4 * 2 + %arg6] : memref<9x9xf32>
            %2 = affine.load %arg1[%arg5, %arg6] : memref<3x3xf32>
            %3 = arith.mulf %1, %2 : f32
            %4 = affine.load %alloca[0] : memref<1xf32>
            %5 = arith.addf %4, %3 : f32
            affine.store %5, %alloca[0] : memref<1xf32>
          }
        }
        %0 = affine.load %alloca[0] : memref<1xf32>
        affine.store %0, %arg2[%arg3, %arg4] : memref<4x4xf32>
      }
    }
    return
  }
}
