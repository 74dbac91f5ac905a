// out[i][j] = sum_{p,q<2} img[i+p][j+q] * k[p][q] on int pixels (2x2 integer correlation of
// a 5x5 int image -> 4x4), the sum in an int local.
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>} {
  func.func @f_corr2d_i32(%arg0: memref<5x5xi32>, %arg1: memref<2x2xi32>, %arg2: memref<4x4xi32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %c0_i32 = arith.constant 0 : i32
    %alloca = memref.alloca() : memref<1xi32>
    affine.for %arg3 = 0 to 4 {
      affine.for %arg4 = 0 to 4 {
        affine.store %c0_i32, %alloca[0] : memref<1xi32>
        affine.for %arg5 = 0 to 2 {
          affine.for %arg6 = 0 to 2 {
            %1 = affine.load %arg0[%arg3 + %arg5, %arg4 + %arg6] : memref<5x5xi32>
            %2 = affine.load %arg1[%arg5, %arg6] : memref<2x2xi32>
            %3 = arith.muli %1, %2 : i32
            %4 = affine.load %alloca[0] : memref<1xi32>
            %5 = arith.addi %4, %3 : i32
            affine.store %5, %alloca[0] : memref<1xi32>
          }
        }
        %0 = affine.load %alloca[0] : memref<1xi32>
        affine.store %0, %arg2[%arg3, %arg4] : memref<4x4xi32>
      }
    }
    return
  }
}
