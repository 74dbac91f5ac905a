// PolyBench 4.2.1 correlation (datamining): corr := correlation matrix of the columns of data (normalised with mean and stddev), LARGE dataset (M=1200, N=1400).
#map = affine_map<(d0) -> (d0 + 1)>
module {
  func.func @kernel_correlation(%arg0: i32, %arg1: i32, %arg2: f64, %arg3: memref<1400x1200xf64>, %arg4: memref<1200x1200xf64>, %arg5: memref<1200xf64>, %arg6: memref<1200xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    %cst_0 = arith.constant 1.000000e+00 : f64
    %cst_1 = arith.constant 1.000000e-01 : f64
    affine.for %arg7 = 0 to 1200 {
      affine.store %cst, %arg5[%arg7] : memref<1200xf64>
      affine.for %arg8 = 0 to 1400 {
        %2 = affine.load %arg3[%arg8, %arg7] : memref<1400x1200xf64>
        %3 = affine.load %arg5[%arg7] : memref<1200xf64>
        %4 = arith.addf %3, %2 : f64
        affine.store %4, %arg5[%arg7] : memref<1200xf64>
      }
      %0 = affine.load %arg5[%arg7] : memref<1200xf64>
      %1 = arith.divf %0, %arg2 : f64
      affine.store %1, %arg5[%arg7] : memref<1200xf64>
    }
    affine.for %arg7 = 0 to 1200 {
      affine.store %cst, %arg6[%arg7] : memref<1200xf64>
      affine.for %arg8 = 0 to 1400 {
        %8 = affine.load %arg3[%arg8, %arg7] : memref<1400x1200xf64>
        %9 = affine.load %arg5[%arg7] : memref<1200xf64>
        %10 = arith.subf %8, %9 : f64
        %11 = affine.load %arg3[%arg8, %arg7] : memref<1400x1200xf64>
        %12 = affine.load %arg5[%arg7] : memref<1200xf64>
        %13 = arith.subf %11, %12 : f64
        %14 = arith.mulf %10, %13 : f64
        %15 = affine.load %arg6[%arg7] : memref<1200xf64>
        %16 = arith.addf %15, %14 : f64
        affine.store %16, %arg6[%arg7] : memref<1200xf64>
      }
      %0 = affine.load %arg6[%arg7] : memref<1200xf64>
      %1 = arith.divf %0, %arg2 : f64
      affine.store %1, %arg6[%arg7] : memref<1200xf64>
      %2 = affine.load %arg6[%arg7] : memref<1200xf64>
      %3 = math.sqrt %2 : f64
      affine.store %3, %arg6[%arg7] : memref<1200xf64>
      %4 = affine.load %arg6[%arg7] : memref<1200xf64>
      %5 = arith.cmpf ole, %4, %cst_1 : f64
      %6 = affine.load %arg6[%arg7] : memref<1200xf64>
      %7 = arith.select %5, %cst_0, %6 : f64
      affine.store %7, %arg6[%arg7] : memref<1200xf64>
    }
    affine.for %arg7 = 0 to 1400 {
      affine.for %arg8 = 0 to 1200 {
        %0 = affine.load %arg5[%arg8] : memref<1200xf64>
        %1 = affine.load %arg3[%arg7, %arg8] : memref<1400x1200xf64>
        %2 = arith.subf %1, %0 : f64
        affine.store %2, %arg3[%arg7, %arg8] : memref<1400x1200xf64>
        %3 = math.sqrt %arg2 : f64
        %4 = affine.load %arg6[%arg8] : memref<1200xf64>
        %5 = arith.mulf %3, %4 : f64
        %6 = affine.load %arg3[%arg7, %arg8] : memref<1400x1200xf64>
        %7 = arith.divf %6, %5 : f64
        affine.store %7, %arg3[%arg7, %arg8] : memref<1400x1200xf64>
      }
    }
    affine.for %arg7 = 0 to 1199 {
      affine.store %cst_0, %arg4[%arg7, %arg7] : memref<1200x1200xf64>
      affine.for %arg8 = #map(%arg7) to 1200 {
        affine.store %cst, %arg4[%arg7, %arg8] : memref<1200x1200xf64>
        affine.for %arg9 = 0 to 1400 {
          %1 = affine.load %arg3[%arg9, %arg7] : memref<1400x1200xf64>
          %2 = affine.load %arg3[%arg9, %arg8] : memref<1400x1200xf64>
          %3 = arith.mulf %1, %2 : f64
          %4 = affine.load %arg4[%arg7, %arg8] : memref<1200x1200xf64>
          %5 = arith.addf %4, %3 : f64
          affine.store %5, %arg4[%arg7, %arg8] : memref<1200x1200xf64>
        }
        %0 = affine.load %arg4[%arg7, %arg8] : memref<1200x1200xf64>
        affine.store %0, %arg4[%arg8, %arg7] : memref<1200x1200xf64>
      }
    }
    affine.store %cst_0, %arg4[1199, 1199] : memref<1200x1200xf64>
    return
  }
}
