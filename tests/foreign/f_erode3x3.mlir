// out[i][j] = min_{p,q<3} img[i+p][j+q] (grey-scale erosion, a 3x3 minimum filter over the
// valid part of a 7x6 float image -> 5x4); C's `v < m ? v : m` starting from +INFINITY.
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_erode3x3(%arg0: memref<7x6xf32>, %arg1: memref<5x4xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0x7F800000 : f32
    affine.for %arg2 = 0 to 5 {
      affine.for %arg3 = 0 to 4 {
        %0 = affine.for %arg4 = 0 to 3 iter_args(%arg5 = %cst) -> (f32) {
          %1 = affine.for %arg6 = 0 to 3 iter_args(%arg7 = %arg5) -> (f32) {
            %2 = affine.load %arg0[%arg2 + %arg4, %arg3 + %arg6] : memref<7x6xf32>
            %3 = arith.cmpf olt, %2, %arg7 : f32
            %4 = arith.select %3, %2, %arg7 : f32
            affine.yield %4 : f32
          }
          affine.yield %1 : f32
        }
        affine.store %0, %arg1[%arg2, %arg3] : memref<5x4xf32>
      }
    }
    return
  }
}
