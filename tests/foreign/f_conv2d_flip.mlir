// out[i][j] = sum_{p,q<3} k[2-p][2-q] * img[i+p][j+q] (true 2-D convolution, flipped kernel,
// valid part of a 7x7 double image -> 5x5); the sum in nested iter_args.
module {
  func.func @f_conv2d_flip(%arg0: memref<7x7xf64>, %arg1: memref<3x3xf64>, %arg2: memref<5x5xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f64
    affine.for %arg3 = 0 to 5 {
      affine.for %arg4 = 0 to 5 {
        %0 = affine.for %arg5 = 0 to 3 iter_args(%arg6 = %cst) -> (f64) {
          %1 = affine.for %arg7 = 0 to 3 iter_args(%arg8 = %arg6) -> (f64) {
            %2 = affine.load %arg1[-%arg5 + 2, -%arg7 + 2] : memref<3x3xf64>
            %3 = affine.load %arg0[%arg3 + %arg5, %arg4 + %arg7] : memref<7x7xf64>
            %4 = arith.mulf %2, %3 : f64
            %5 = arith.addf %arg8, %4 : f64
            affine.yield %5 : f64
          }
          affine.yield %1 : f64
        }
        affine.store %0, %arg2[%arg3, %arg4] : memref<5x5xf64>
      }
    }
    return
  }
}
