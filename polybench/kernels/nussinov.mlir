// PolyBench 4.2.1 nussinov (medley): RNA folding, table[i][j] := max base pairs of seq[i..j] (i from N-1 down to 0), LARGE dataset (N=2500).
#map = affine_map<(d0) -> (-d0 + 2500)>
#map1 = affine_map<(d0) -> (d0)>
#set = affine_set<(d0) : (d0 - 1 >= 0)>
#set1 = affine_set<(d0, d1) : (d1 - 1 >= 0, d0 - 1 >= 0)>
#set2 = affine_set<(d0, d1) : (d0 + d1 - 2501 >= 0)>
module {
  func.func @kernel_nussinov(%arg0: i32, %arg1: memref<2500xi32>, %arg2: memref<2500x2500xi32>) {
    %c0_i32 = arith.constant 0 : i32
    %c1_i32 = arith.constant 1 : i32
    %c3_i32 = arith.constant 3 : i32
    affine.for %arg3 = 0 to 2500 {
      affine.for %arg4 = #map(%arg3) to 2500 {
        affine.if #set(%arg4) {
          %0 = affine.load %arg2[-%arg3 + 2499, %arg4] : memref<2500x2500xi32>
          %1 = affine.load %arg2[-%arg3 + 2499, %arg4 - 1] : memref<2500x2500xi32>
          %2 = arith.cmpi sge, %0, %1 : i32
          %3 = arith.select %2, %0, %1 : i32
          affine.store %3, %arg2[-%arg3 + 2499, %arg4] : memref<2500x2500xi32>
        }
        affine.if #set(%arg3) {
          %0 = affine.load %arg2[-%arg3 + 2499, %arg4] : memref<2500x2500xi32>
          %1 = affine.load %arg2[-%arg3 + 2500, %arg4] : memref<2500x2500xi32>
          %2 = arith.cmpi sge, %0, %1 : i32
          %3 = arith.select %2, %0, %1 : i32
          affine.store %3, %arg2[-%arg3 + 2499, %arg4] : memref<2500x2500xi32>
        }
        affine.if #set1(%arg3, %arg4) {
          affine.if #set2(%arg3, %arg4) {
            %0 = affine.load %arg2[-%arg3 + 2499, %arg4] : memref<2500x2500xi32>
            %1 = affine.load %arg2[-%arg3 + 2500, %arg4 - 1] : memref<2500x2500xi32>
            %2 = affine.load %arg1[-%arg3 + 2499] : memref<2500xi32>
            %3 = affine.load %arg1[%arg4] : memref<2500xi32>
            %4 = arith.addi %2, %3 : i32
            %5 = arith.cmpi eq, %4, %c3_i32 : i32
            %6 = arith.select %5, %c1_i32, %c0_i32 : i32
            %7 = arith.addi %1, %6 : i32
            %8 = arith.cmpi sge, %0, %7 : i32
            %9 = arith.select %8, %0, %7 : i32
            affine.store %9, %arg2[-%arg3 + 2499, %arg4] : memref<2500x2500xi32>
          } else {
            %0 = affine.load %arg2[-%arg3 + 2499, %arg4] : memref<2500x2500xi32>
            %1 = affine.load %arg2[-%arg3 + 2500, %arg4 - 1] : memref<2500x2500xi32>
            %2 = arith.cmpi sge, %0, %1 : i32
            %3 = arith.select %2, %0, %1 : i32
            affine.store %3, %arg2[-%arg3 + 2499, %arg4] : memref<2500x2500xi32>
          }
        }
        affine.for %arg5 = #map(%arg3) to #map1(%arg4) {
          %0 = affine.load %arg2[-%arg3 + 2499, %arg4] : memref<2500x2500xi32>
          %1 = affine.load %arg2[-%arg3 + 2499, %arg5] : memref<2500x2500xi32>
          %2 = affine.load %arg2[%arg5 + 1, %arg4] : memref<2500x2500xi32>
          %3 = arith.addi %1, %2 : i32
          %4 = arith.cmpi sge, %0, %3 : i32
          %5 = arith.select %4, %0, %3 : i32
          affine.store %5, %arg2[-%arg3 + 2499, %arg4] : memref<2500x2500xi32>
        }
      }
    }
    return
  }
}
