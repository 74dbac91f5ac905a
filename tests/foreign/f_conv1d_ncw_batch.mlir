// out[n][f][i] = sum_{c<3,k<3} x[n][c][i+k] * w[f][c][k] (batched multi-channel 1-D
// convolution, audio-style NCW: 2 signals of 3 channels x 9 samples, 4 filters -> 2x4x7);
// the sum in a 1-element local, out written once per element.
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_conv1d_ncw_batch(%arg0: memref<2x3x9xf64>, %arg1: memref<4x3x3xf64>, %arg2: memref<2x4x7xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %c0 = arith.constant 0 : index
    %cst = arith.constant 0.000000e+00 : f64
    %alloca = memref.alloca() : memref<1xf64>
    affine.for %arg3 = 0 to 2 {
      affine.for %arg4 = 0 to 4 {
        affine.for %arg5 = 0 to 7 {
          affine.store %cst, %alloca[0] : memref<1xf64>
          affine.for %arg6 = 0 to 3 {
            affine.for %arg7 = 0 to 3 {
              %1 = affine.load %arg0[%arg3, %arg6, %arg5 + %arg7] : memref<2x3x9xf64>
              %2 = affine.load %arg1[%arg4, %arg6, %arg7] : memref<4x3x3xf64>
              %3 = arith.mulf %1, %2 : f64
              %4 = affine.load %alloca[0] : memref<1xf64>
              %5 = arith.addf %4, %3 : f64
              affine.store %5, %alloca[0] : memref<1xf64>
            }
          }
          %0 = affine.load %alloca[0] : memref<1xf64>
          affine.store %0, %arg2[%arg3, %arg4, %arg5] : memref<2x4x7xf64>
        }
      }
    }
    return
  }
}
