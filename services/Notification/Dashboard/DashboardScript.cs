namespace DealRisk.Notification.Dashboard;

/// <summary>Sorting by a column header and filtering by rep, segment and level, over the rows the server rendered.</summary>
internal static class DashboardScript
{
    public const string Js = """
        (function(){
          var table=document.getElementById('deals');if(!table)return;
          var body=table.tBodies[0];var filters=['rep','segment','level'];
          function apply(){
            var shown=0;
            Array.prototype.forEach.call(body.rows,function(row){
              var visible=filters.every(function(f){var v=document.getElementById('filter-'+f).value;return !v||row.dataset[f]===v;});
              row.hidden=!visible;if(visible)shown++;
            });
            document.getElementById('shown').textContent=shown+(shown===1?' deal':' deals');
          }
          filters.forEach(function(f){document.getElementById('filter-'+f).addEventListener('change',apply);});
          Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,index){
            if(!th.dataset.sort)return;
            th.addEventListener('click',function(){
              var descending=!th.classList.contains('sorted-desc');
              Array.prototype.forEach.call(table.tHead.rows[0].cells,function(c){c.classList.remove('sorted-asc','sorted-desc');});
              th.classList.add(descending?'sorted-desc':'sorted-asc');
              var numeric=th.dataset.sort==='number';
              var rows=Array.prototype.slice.call(body.rows);
              rows.sort(function(a,b){
                var x=numeric?parseFloat(a.cells[index].dataset.value):a.cells[index].textContent.toLowerCase();
                var y=numeric?parseFloat(b.cells[index].dataset.value):b.cells[index].textContent.toLowerCase();
                return (x<y?-1:x>y?1:0)*(descending?-1:1);
              });
              rows.forEach(function(r){body.appendChild(r);});
            });
          });
        })();
        """;
}
