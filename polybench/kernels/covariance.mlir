// PolyBench 4.2.1 covariance (datamining): mean := column means of data, data := data - mean, cov := data^T*data/(float_n-1), LARGE dataset (M=1200, N=1400).
#map = affine_map<(d0) -> (d0)>
module {
  func.func @kernel_covariance(%arg0: i32, %arg1: i32, %arg2: f64, %arg3: memref<1400x1200xf64>, %arg4: memref<1200x1200xf64>, %arg5: memref<1200xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    %cst_0 = arith.constant 1.000000e+00 : f64
    affine.for %arg6 = 0 to 1200 {
      affine.store %cst, %arg5[%arg6] : memref<1200xf64>
      affine.for %arg7 = 0 to 1400 {
        %2 = affine.load %arg3[%arg7, %arg6] : memref<1400x1200xf64>
        %3 = affine.load %arg5[%arg6] : memref<1200xf64>
        %4 = arith.addf %3, %2 : f64
        affine.store %4, %arg5[%arg6] : memref<1200xf64>
      }
      %0 = affine.load %arg5[%arg6] : memref<1200xf64>
      %1 = arith.divf %0, %arg2 : f64
      affine.store %1, %arg5[%arg6] : memref<1200xf64>
    }
    affine.for %arg6 = 0 to 1400 {
      affine.for %arg7 = 0 to 1200 {
        %0 = affine.load %arg5[%arg7] : memref<1200xf64>
        %1 = affine.load %arg3[%arg6, %arg7] : memref<1400x1200xf64>
        %2 = arith.subf %1, %0 : f64
        affine.store %2, %arg3[%arg6, %arg7] : memref<1400x1200xf64>
      }
    }
    affine.for %arg6 = 0 to 1200 {
      affine.for %arg7 = #map(%arg6) to 1200 {
        affine.store %cst, %arg4[%arg6, %arg7] : memref<1200x1200xf64>
        affine.for %arg8 = 0 to 1400 {
          %4 = affine.load %arg3[%arg8, %arg6] : memref<1400x1200xf64>
          %5 = affine.load %arg3[%arg8, %arg7] : memref<1400x1200xf64>
          %6 = arith.mulf %4, %5 : f64
          %7 = affine.load %arg4[%arg6, %arg7] : memref<1200x1200xf64>
          %8 = arith.addf %7, %6 : f64
          affine.store %8, %arg4[%arg6, %arg7] : memref<1200x1200xf64>
        }
        %0 = arith.subf %arg2, %cst_0 : f64
        %1 = affine.load %arg4[%arg6, %arg7] : memref<1200x1200xf64>
        %2 = arith.divf %1, %0 : f64
        affine.store %2, %arg4[%arg6, %arg7] : memref<1200x1200xf64>
        %3 = affine.load %arg4[%arg6, %arg7] : memref<1200x1200xf64>
        affine.store %3, %arg4[%arg7, %arg6] : memref<1200x1200xf64>
      }
    }
    return
  }
}
