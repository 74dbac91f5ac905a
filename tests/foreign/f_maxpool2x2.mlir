// out[i][j] = max_{p,q<2} in[2i+p][2j+q] (2x2 max pooling, stride 2, an 8x6 double map ->
// 4x3); the maximum starts at -inf (C's -INFINITY) in nested iter_args.
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_maxpool2x2(%arg0: memref<8x6xf64>, %arg1: memref<4x3xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0xFFF0000000000000 : f64
    affine.for %arg2 = 0 to 4 {
      affine.for %arg3 = 0 to 3 {
        %0 = affine.for %arg4 = 0 to 2 iter_args(%arg5 = %cst) -> (f64) {
          %1 = affine.for %arg6 = 0 to 2 iter_args(%arg7 = %arg5) -> (f64) {
            %2 = affine.load %arg0[%arg2 * 2 + %arg4, %arg3 * 2 + %arg6] : memref<8x6xf64>
            %3 = arith.maximumf %arg7, %2 : f64
            affine.yield %3 : f64
          }
          affine.yield %1 : f64
        }
        affine.store %0, %arg1[%arg2, %arg3] : memref<4x3xf64>
      }
    }
    return
  }
}
