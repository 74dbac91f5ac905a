// out[i][j] = sum_{p,q<3} img[i+p][j+q] * k[p][q] (2-D correlation, valid part of an 8x8 float
// image -> 6x6); out zeroed in its own nest, then accumulated.
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_corr2d_3x3(%arg0: memref<8x8xf32>, %arg1: memref<3x3xf32>, %arg2: memref<6x6xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f32
    affine.for %arg3 = 0 to 6 {
      affine.for %arg4 = 0 to 6 {
        affine.store %cst, %arg2[%arg3, %arg4] : memref<6x6xf32>
      }
    }
    affine.for %arg3 = 0 to 6 {
      affine.for %arg4 = 0 to 6 {
        affine.for %arg5 = 0 to 3 {
          affine.for %arg6 = 0 to 3 {
            %0 = affine.load %arg0[%arg3 + %arg5, %arg4 + %arg6] : memref<8x8xf32>
            %1 = affine.load %arg1[%arg5, %arg6] : memref<3x3xf32>
            %2 = arith.mulf %0, %1 : f32
            %3 = affine.load %arg2[%arg3, %arg4] : memref<6x6xf32>
            %4 = arith.addf %3, %2 : f32
            affine.store %4, %arg2[%arg3, %arg4] : memref<6x6xf32>
          }
        }
      }
    }
    return
  }
}
